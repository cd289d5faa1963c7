using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Server;
using Slipway.Testing;

namespace Slipway.Monitoring.Tests.EndToEnd;

/// <summary>A real <c>slipway server</c> and the REST calls a user makes to it while setting up monitoring.</summary>
internal sealed class MonitoringServer : IAsyncDisposable
{
    private MonitoringServer(SlipwayTestServer server)
    {
        Server = server;
        Http = server.CreateClient();
    }

    public SlipwayTestServer Server { get; }

    public HttpClient Http { get; }

    public static async Task<MonitoringServer> StartAsync(Action<SlipwayServerOptions>? configure = null) =>
        new(await SlipwayTestServer.StartAsync(configure: configure));

    /// <summary>Creates an experiment and a run in it; returns the run id and its artifact path in the store.</summary>
    public async Task<(string RunId, string ArtifactPath)> CreateRunAsync(string experimentName)
    {
        var experiment = (await PostOkAsync("api/2.0/mlflow/experiments/create", new { name = experimentName })).GetProperty("experiment_id").GetString()!;
        var info = (await PostOkAsync("api/2.0/mlflow/runs/create", new { experiment_id = experiment })).GetProperty("run").GetProperty("info");
        var artifactUri = info.GetProperty("artifact_uri").GetString()!;
        return (info.GetProperty("run_id").GetString()!, artifactUri["mlflow-artifacts:/".Length..].TrimStart('/'));
    }

    public async Task UploadAsync(string artifactPath, string relativePath, byte[] content)
    {
        using var body = new ByteArrayContent(content);
        using var response = await Http.PutAsync($"api/2.0/mlflow-artifacts/artifacts/{artifactPath}/{relativePath}", body);
        Assert.True(response.IsSuccessStatusCode, $"Uploading {relativePath} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<long> RegisterVersionAsync(string model, string runId, string artifactPath, string onnxFile)
    {
        await UploadAsync(artifactPath, "model/model.onnx", await File.ReadAllBytesAsync(onnxFile));
        using (var exists = await Http.GetAsync("api/2.0/mlflow/registered-models/get?name=" + Uri.EscapeDataString(model)))
        {
            if (exists.StatusCode == HttpStatusCode.NotFound)
                await PostOkAsync("api/2.0/mlflow/registered-models/create", new { name = model });
        }
        var version = (await PostOkAsync("api/2.0/mlflow/model-versions/create", new { name = model, source = $"mlflow-artifacts:/{artifactPath}/model", run_id = runId }))
            .GetProperty("model_version").GetProperty("version").GetString()!;
        return long.Parse(version, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Creates an endpoint and waits until every route is ready.</summary>
    public async Task CreateEndpointAsync(object spec)
    {
        var name = (await PostOkAsync("api/slipway/v1/endpoints", spec)).GetProperty("endpoint").GetProperty("name").GetString()!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await GetOkAsync("api/slipway/v1/endpoints/" + name)).GetProperty("endpoint").GetProperty("status").GetProperty("ready").GetBoolean())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Endpoint {name} never became ready.");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the endpoint's Parquet log holds <paramref name="expected"/> rows.</summary>
    public Task WaitForLoggedRowsAsync(string endpoint, int expected) => InferenceLogProbe.WaitForRowsAsync(Server, endpoint, expected);

    public async Task<JsonElement> GetOkAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return await ReadOkAsync(response, "GET " + path);
    }

    public async Task<string> GetTextAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return text;
    }

    public async Task<JsonElement> PostOkAsync(string path, object body)
    {
        using var response = await PostAsync(path, body);
        return await ReadOkAsync(response, "POST " + path);
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body) =>
        Http.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    public static async Task<JsonElement> ReadOkAsync(HttpResponseMessage response, string request)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{request} answered {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
