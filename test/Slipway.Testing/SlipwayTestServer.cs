using Microsoft.AspNetCore.Builder;
using Slipway.Server;

namespace Slipway.Testing;

/// <summary>
/// A real <c>slipway server</c> on 127.0.0.1 with a free port, a fresh SQLite database (or the given
/// backend URI) and a fresh artifact folder. Dispose stops it and deletes its folder.
/// </summary>
public sealed class SlipwayTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SlipwayTestServer(WebApplication app, string dataDirectory, Uri baseAddress, Uri? grpcAddress)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        GrpcAddress = grpcAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The Open Inference Protocol gRPC listener (HTTP/2 cleartext) on its own free port.</summary>
    public Uri? GrpcAddress { get; }

    /// <summary>The server's services (stores, the endpoint manager) for tests that look inside.</summary>
    public IServiceProvider Services => _app.Services;

    public string DataDirectory { get; }

    /// <param name="backendStoreUri">A database other than a fresh SQLite file (PostgreSQL tests).</param>
    /// <param name="configure">Changes to the options before the server is built (roles, webhook timings).</param>
    public static async Task<SlipwayTestServer> StartAsync(string? backendStoreUri = null, Action<SlipwayServerOptions>? configure = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "slipway-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var options = new SlipwayServerOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            BackendStoreUri = backendStoreUri ?? $"sqlite:///{Path.Combine(dataDirectory, "slipway.db")}",
            ArtifactsDestination = Path.Combine(dataDirectory, "artifacts"),
            GrpcPortIsDynamic = true,
        };
        options.Serving.ModelCacheDirectory = Path.Combine(dataDirectory, "model-cache");
        options.Serving.ReconcileInterval = TimeSpan.FromMilliseconds(200);
        options.InferenceLog.FlushInterval = TimeSpan.FromMilliseconds(500);
        configure?.Invoke(options);
        var app = SlipwayHost.Build(options);
        await SlipwayHost.StartAsync(app);
        return new SlipwayTestServer(app, dataDirectory, SlipwayHost.GetBaseAddress(app), SlipwayHost.GetGrpcAddress(app));
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
