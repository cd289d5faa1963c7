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

    private SlipwayTestServer(WebApplication app, string dataDirectory, Uri baseAddress)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

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
        };
        configure?.Invoke(options);
        var app = SlipwayHost.Build(options);
        await SlipwayHost.StartAsync(app);
        return new SlipwayTestServer(app, dataDirectory, SlipwayHost.GetBaseAddress(app));
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
