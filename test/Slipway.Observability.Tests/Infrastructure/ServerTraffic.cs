using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Observability.Tests.Infrastructure;

/// <summary>The REST calls a user makes: tracking, registering the ONNX classifier, endpoints, OIP inference, monitors.</summary>
internal sealed class ServerTraffic(SlipwayTestServer server) : IDisposable
{
    public const int Features = 30;

    public HttpClient Http { get; } = server.CreateClient();

    /// <summary>The reference rows of the classifier's monitoring data (30 features each).</summary>
    public static List<double[]> ReferenceRows() =>
        File.ReadAllLines(RepositoryPaths.TestData("reference.csv")).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToList();

    /// <summary>An experiment, a run with metrics and params, a search: the tracking API's usual calls.</summary>
    public async Task<(string RunId, string ArtifactPath)> TrackRunAsync(string experimentName)
    {
        var experiment = (await PostOkAsync("api/2.0/mlflow/experiments/create", new { name = experimentName })).GetProperty("experiment_id").GetString()!;
        var info = (await PostOkAsync("api/2.0/mlflow/runs/create", new { experiment_id = experiment })).GetProperty("run").GetProperty("info");
        var runId = info.GetProperty("run_id").GetString()!;
        await PostOkAsync("api/2.0/mlflow/runs/log-batch", new
        {
            run_id = runId,
            metrics = Enumerable.Range(0, 5).Select(step => new { key = "loss", value = 1.0 / (step + 1), timestamp = 1_700_000_000_000L + step, step }),
            @params = new[] { new { key = "lr", value = "0.1" } },
        });
        await PostOkAsync("api/2.0/mlflow/runs/search", new { experiment_ids = new[] { experiment } });
        var artifactUri = info.GetProperty("artifact_uri").GetString()!;
        return (runId, artifactUri["mlflow-artifacts:/".Length..].TrimStart('/'));
    }

    /// <summary>Uploads the reference CSV and logs it as the run's reference dataset (as <c>mlflow.log_input</c> does).</summary>
    public async Task LogReferenceAsync(string runId, string artifactPath)
    {
        await UploadAsync(artifactPath, "datasets/reference.csv", await File.ReadAllBytesAsync(RepositoryPaths.TestData("reference.csv")));
        await PostOkAsync("api/2.0/mlflow/runs/log-inputs", new
        {
            run_id = runId,
            datasets = new[]
            {
                new
                {
                    tags = new[] { new { key = "mlflow.data.context", value = "reference" } },
                    dataset = new { name = "reference", digest = "d1", source_type = "local", source = JsonSerializer.Serialize(new { uri = $"runs:/{runId}/datasets/reference.csv" }) },
                },
            },
        });
    }

    /// <summary>Registers the ONNX classifier as version 1 of <paramref name="model"/>.</summary>
    public async Task RegisterModelAsync(string model, string runId, string artifactPath)
    {
        await UploadAsync(artifactPath, "model/model.onnx", await File.ReadAllBytesAsync(RepositoryPaths.TestData("model.onnx")));
        await PostOkAsync("api/2.0/mlflow/registered-models/create", new { name = model });
        await PostOkAsync("api/2.0/mlflow/model-versions/create", new { name = model, source = $"mlflow-artifacts:/{artifactPath}/model", run_id = runId });
    }

    /// <summary>Creates an endpoint serving version 1 of the model, every request logged, and waits until it is ready.</summary>
    /// <param name="batched">Run the route through adaptive batching (small batches, 2 ms queue delay).</param>
    public async Task CreateEndpointAsync(string endpoint, string model, bool batched = false)
    {
        var routes = new[] { new { model = $"models:/{model}/1" } };
        await PostOkAsync("api/slipway/v1/endpoints", batched
            ? new { name = endpoint, routes, log_sample_rate = 1.0, batching = (object?)new { max_batch_size = 8, max_queue_delay_ms = 2, max_queue_size = 64 } }
            : new { name = endpoint, routes, log_sample_rate = 1.0, batching = (object?)null });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await GetOkAsync("api/slipway/v1/endpoints/" + endpoint)).GetProperty("endpoint").GetProperty("status").GetProperty("ready").GetBoolean())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Endpoint {endpoint} never became ready.");
            await Task.Delay(50);
        }
    }

    /// <summary>One OIP REST inference of <paramref name="rows"/> with request id <paramref name="id"/>.</summary>
    public async Task InferAsync(string endpoint, string id, IReadOnlyList<double[]> rows)
    {
        await PostOkAsync($"v2/models/{endpoint}/infer", new
        {
            id,
            inputs = new[] { new { name = "input", shape = new[] { rows.Count, Features }, datatype = "FP32", data = rows.SelectMany(r => r).ToArray() } },
        });
    }

    /// <summary>An inference whose tensor has the wrong width: a 400 that the endpoint's error counter records.</summary>
    public async Task InferBadShapeAsync(string endpoint)
    {
        using var response = await PostAsync($"v2/models/{endpoint}/infer", new
        {
            inputs = new[] { new { name = "input", shape = new[] { 1, 3 }, datatype = "FP32", data = new[] { 1.0, 2.0, 3.0 } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    public async Task<string> ScrapeAsync()
    {
        using var response = await Http.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /metrics answered {(int)response.StatusCode}: {text}");
        return text;
    }

    public async Task UploadAsync(string artifactPath, string relativePath, byte[] content)
    {
        using var body = new ByteArrayContent(content);
        using var response = await Http.PutAsync($"api/2.0/mlflow-artifacts/artifacts/{artifactPath}/{relativePath}", body);
        Assert.True(response.IsSuccessStatusCode, $"Uploading {relativePath} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<JsonElement> GetOkAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return await ReadOkAsync(response, "GET " + path);
    }

    public async Task<JsonElement> PostOkAsync(string path, object body)
    {
        using var response = await PostAsync(path, body);
        return await ReadOkAsync(response, "POST " + path);
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body) =>
        Http.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    public void Dispose() => Http.Dispose();

    private static async Task<JsonElement> ReadOkAsync(HttpResponseMessage response, string request)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{request} answered {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
