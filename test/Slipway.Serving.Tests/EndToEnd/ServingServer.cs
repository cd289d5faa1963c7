using System.Net;
using System.Text;
using System.Text.Json;
using Grpc.Net.Client;
using Slipway.Server;
using Slipway.Serving.Protocols.Grpc;
using Slipway.Testing;

namespace Slipway.Serving.Tests.EndToEnd;

/// <summary>
/// A real <c>slipway server</c> (HTTP and its own gRPC port) and the calls a user makes to it: log a model into a run
/// and register it through the MLflow REST API, create an endpoint through the Slipway REST API and wait for it, and
/// talk to it over OIP REST, OIP gRPC and <c>/invocations</c>.
/// </summary>
internal sealed class ServingServer : IAsyncDisposable
{
    private const string EndpointsPath = "api/slipway/v1/endpoints";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly GrpcChannel _channel;

    private ServingServer(SlipwayTestServer server)
    {
        Server = server;
        Http = server.CreateClient();
        _channel = GrpcChannel.ForAddress(server.GrpcAddress!, new GrpcChannelOptions { MaxReceiveMessageSize = OipGrpcModule.MaxReceiveMessageBytes });
        Grpc = new OipGrpcClient(_channel);
    }

    public SlipwayTestServer Server { get; }

    public HttpClient Http { get; }

    public OipGrpcClient Grpc { get; }

    public static async Task<ServingServer> StartAsync(Action<SlipwayServerOptions>? configure = null) =>
        new(await SlipwayTestServer.StartAsync(configure: configure));

    /// <summary>
    /// Logs <paramref name="files"/> as a run's <c>model</c> artifact folder (HTTP PUT through the artifact proxy), then
    /// registers it as a new version of <paramref name="model"/> from that run; returns the version.
    /// </summary>
    public async Task<long> RegisterVersionAsync(string model, IEnumerable<(string Name, byte[] Content)> files)
    {
        var experiment = (await PostOkAsync("api/2.0/mlflow/experiments/create", new { name = $"{model}-{Guid.NewGuid():N}" }))
            .GetProperty("experiment_id").GetString()!;
        var run = (await PostOkAsync("api/2.0/mlflow/runs/create", new { experiment_id = experiment })).GetProperty("run").GetProperty("info");
        var runId = run.GetProperty("run_id").GetString()!;
        var artifactUri = run.GetProperty("artifact_uri").GetString()!;
        Assert.StartsWith("mlflow-artifacts:/", artifactUri, StringComparison.Ordinal);
        var artifactPath = artifactUri["mlflow-artifacts:/".Length..].TrimStart('/');
        foreach (var (name, content) in files)
        {
            using var body = new ByteArrayContent(content);
            using var response = await Http.PutAsync($"api/2.0/mlflow-artifacts/artifacts/{artifactPath}/model/{name}", body);
            Assert.True(response.IsSuccessStatusCode, $"Uploading {name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        using (var exists = await Http.GetAsync("api/2.0/mlflow/registered-models/get?name=" + Uri.EscapeDataString(model)))
        {
            if (exists.StatusCode == HttpStatusCode.NotFound)
                await PostOkAsync("api/2.0/mlflow/registered-models/create", new { name = model });
        }
        var version = (await PostOkAsync("api/2.0/mlflow/model-versions/create", new { name = model, source = artifactUri + "/model", run_id = runId }))
            .GetProperty("model_version").GetProperty("version").GetString()!;
        return long.Parse(version, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A kit model as a user logs it: the MLflow model directory when the kit has one, else the bare <c>model.onnx</c>.</summary>
    public Task<long> RegisterKitModelAsync(string registeredName, string kitModel)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestData", "onnx", kitModel);
        var mlflow = Path.Combine(folder, "mlflow_model");
        var files = Directory.Exists(mlflow)
            ? Directory.GetFiles(mlflow).Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))
            : [("model.onnx", File.ReadAllBytes(Path.Combine(folder, "model.onnx")))];
        return RegisterVersionAsync(registeredName, files);
    }

    public Task SetAliasAsync(string model, string alias, long version) =>
        PostOkAsync("api/2.0/mlflow/registered-models/alias", new { name = model, alias, version = version.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>Creates an endpoint from a spec as the REST API takes it, then waits until it is ready.</summary>
    public async Task<JsonElement> CreateEndpointAsync(object spec)
    {
        var name = (await PostOkAsync(EndpointsPath, spec)).GetProperty("endpoint").GetProperty("name").GetString()!;
        return await WaitForEndpointAsync(name, e => e.GetProperty("status").GetProperty("ready").GetBoolean());
    }

    public async Task<JsonElement> GetEndpointAsync(string name) => (await GetOkAsync($"{EndpointsPath}/{name}")).GetProperty("endpoint");

    /// <summary>Polls the endpoint until <paramref name="condition"/> holds; fails with the last answer after a generous deadline.</summary>
    public async Task<JsonElement> WaitForEndpointAsync(string name, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var endpoint = await GetEndpointAsync(name);
            if (condition(endpoint))
                return endpoint;
            Assert.True(DateTime.UtcNow < deadline, $"Endpoint {name} never reached the expected state: {endpoint}");
            await Task.Delay(50);
        }
    }

    public async Task<JsonElement> GetOkAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return await ReadOkAsync(response, "GET " + path);
    }

    public async Task<JsonElement> PostOkAsync(string path, object body)
    {
        using var response = await PostJsonAsync(path, body);
        return await ReadOkAsync(response, "POST " + path);
    }

    public async Task<JsonElement> PutOkAsync(string path, object body)
    {
        using var response = await Http.PutAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        return await ReadOkAsync(response, "PUT " + path);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) => PostRawAsync(path, JsonSerializer.Serialize(body));

    public Task<HttpResponseMessage> PostRawAsync(string path, string json, string contentType = "application/json") =>
        Http.PostAsync(path, new StringContent(json, Encoding.UTF8, contentType));

    public static async Task<JsonElement> ReadOkAsync(HttpResponseMessage response, string request)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{request} answered {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
