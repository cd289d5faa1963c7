using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Slipway.LoadTest.Scenarios;

/// <summary>Registers conformance-kit models and creates endpoints over the public REST APIs, as a user would.</summary>
internal sealed class ServingSetup(HttpClient http, Uri server)
{
    private const string Mlflow = "api/2.0/mlflow/";
    private const string Slipway = "api/slipway/v1/";

    /// <summary>The ONNX conformance kit copied into the serving tests' data.</summary>
    public static string KitFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var kit = Path.Combine(dir.FullName, "test", "Slipway.Serving.Tests", "TestData", "onnx");
            if (Directory.Exists(kit))
                return kit;
        }
        throw new DirectoryNotFoundException("test/Slipway.Serving.Tests/TestData/onnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The first golden input row of a kit model (its first input).</summary>
    public static float[] GoldenRow(string modelFolder)
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelFolder, "golden.json")));
        var inputs = golden.RootElement.GetProperty("test_data").GetProperty("inputs");
        var first = inputs.EnumerateObject().First().Value[0];
        return first.EnumerateArray().Select(v => v.GetSingle()).ToArray();
    }

    public async Task<string> CreateExperimentAsync(string name)
    {
        var answer = await PostAsync(Mlflow + "experiments/create", new { name });
        return answer.GetProperty("experiment_id").GetString()!;
    }

    /// <summary>Uploads the files to a new run's <c>model/</c> folder and registers them as the next version of <paramref name="model"/>.</summary>
    public async Task RegisterAsync(string experimentId, string model, string folder, string? onlyFile = null)
    {
        var run = await PostAsync(Mlflow + "runs/create", new { experiment_id = experimentId, start_time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        var runId = run.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
        foreach (var file in Directory.GetFiles(folder).Where(f => onlyFile is null || Path.GetFileName(f) == onlyFile))
        {
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var put = await http.PutAsync(new Uri(server, $"api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/model/{Path.GetFileName(file)}"), content);
            put.EnsureSuccessStatusCode();
        }
        using (var create = await SendAsync(HttpMethod.Post, Mlflow + "registered-models/create", new { name = model }))
        {
            if (create.StatusCode != HttpStatusCode.OK && create.StatusCode != HttpStatusCode.BadRequest)
                create.EnsureSuccessStatusCode();
        }
        await PostAsync(Mlflow + "model-versions/create", new { name = model, source = $"mlflow-artifacts:/{experimentId}/{runId}/artifacts/model", run_id = runId });
    }

    public Task SetAliasAsync(string model, string alias, int version) =>
        PostAsync(Mlflow + "registered-models/alias", new { name = model, alias, version = version.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public Task CreateEndpointAsync(string name, string model, (int MaxBatchSize, int DelayMs, int Queue)? batching) =>
        PostAsync(Slipway + "endpoints", batching is { } b
            ? new { name, routes = new[] { new { model } }, batching = new { max_batch_size = b.MaxBatchSize, max_queue_delay_ms = b.DelayMs, max_queue_size = b.Queue } }
            : (object)new { name, routes = new[] { new { model } } });

    public async Task WaitReadyAsync(string endpoint, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await http.GetAsync(new Uri(server, Slipway + "endpoints/" + endpoint));
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (body.RootElement.GetProperty("endpoint").GetProperty("status").GetProperty("ready").GetBoolean())
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"endpoint {endpoint} not ready: {body.RootElement}");
            await Task.Delay(100);
        }
    }

    /// <summary>The <c>model_version</c> an OIP infer answers with now.</summary>
    public async Task<string?> ServedVersionAsync(Uri infer, byte[] body)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(infer, content);
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var version = answer.RootElement.TryGetProperty("model_version", out var v) ? v.GetString() : null;
            if (version == "2")
                return version;
            await Task.Delay(100);
        }
        return null;
    }

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await SendAsync(HttpMethod.Post, path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, new Uri(server, path))
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        return await http.SendAsync(request);
    }
}
