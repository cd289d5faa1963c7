using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Server;
using Slipway.Testing;

namespace Slipway.Artifacts.Tests.EndToEnd;

/// <summary>A real <c>slipway server</c> whose artifact destination is an object store, and the REST calls the tests make.</summary>
internal sealed class ServerSession : IAsyncDisposable
{
    private ServerSession(SlipwayTestServer server, string cacheDirectory)
    {
        Server = server;
        CacheDirectory = cacheDirectory;
        Http = server.CreateClient();
    }

    public SlipwayTestServer Server { get; }

    public HttpClient Http { get; }

    /// <summary>The server's local cache of object-store files (inference-log segments for DuckDB).</summary>
    public string CacheDirectory { get; }

    public static async Task<ServerSession> StartAsync(string destination, Action<Slipway.Artifacts.ArtifactStoreOptions> configureStore)
    {
        var cache = Path.Combine(Path.GetTempPath(), "slipway-artifact-cache-" + Guid.NewGuid().ToString("N"));
        var server = await SlipwayTestServer.StartAsync(configure: (SlipwayServerOptions options) =>
        {
            options.ArtifactsDestination = destination;
            configureStore(options.Artifacts);
            options.Artifacts.CacheDirectory = cache;
            options.InferenceLog.FlushInterval = TimeSpan.FromMilliseconds(200);
            options.Monitoring.SchedulerEnabled = false;
        });
        return new ServerSession(server, cache);
    }

    public async Task<JsonElement> PostOkAsync(string path, object body)
    {
        using var response = await Http.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        return await ReadOkAsync(response, "POST " + path);
    }

    public async Task<JsonElement> GetOkAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return await ReadOkAsync(response, "GET " + path);
    }

    public async Task PutArtifactAsync(string path, HttpContent content)
    {
        using var response = await Http.PutAsync("api/2.0/mlflow-artifacts/artifacts/" + path, content);
        Assert.True(response.IsSuccessStatusCode, $"Uploading {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Creates an experiment and a run; returns the run id and its artifact path in the store.</summary>
    public async Task<(string RunId, string ArtifactPath)> CreateRunAsync(string experimentName)
    {
        var experiment = (await PostOkAsync("api/2.0/mlflow/experiments/create", new { name = experimentName })).GetProperty("experiment_id").GetString()!;
        var info = (await PostOkAsync("api/2.0/mlflow/runs/create", new { experiment_id = experiment })).GetProperty("run").GetProperty("info");
        return (info.GetProperty("run_id").GetString()!, info.GetProperty("artifact_uri").GetString()!["mlflow-artifacts:/".Length..].TrimStart('/'));
    }

    private static async Task<JsonElement> ReadOkAsync(HttpResponseMessage response, string request)
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
        if (Directory.Exists(CacheDirectory))
            Directory.Delete(CacheDirectory, recursive: true);
    }
}
