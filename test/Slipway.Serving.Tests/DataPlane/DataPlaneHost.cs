using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Server;
using Slipway.Serving.DataPlane;
using Slipway.Serving.Endpoints;

namespace Slipway.Serving.Tests.DataPlane;

/// <summary>
/// A real <c>slipway serve</c> data plane (<see cref="SlipwayServeHost"/>) on 127.0.0.1 with free REST and gRPC ports,
/// a fresh model cache, and a short poll interval. Dispose stops it and deletes its folder.
/// </summary>
internal sealed class DataPlaneHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;
    private GrpcChannel? _channel;

    private DataPlaneHost(WebApplication app, string folder)
    {
        _app = app;
        _folder = folder;
        Http = new HttpClient { BaseAddress = SlipwayHost.GetBaseAddress(app) };
    }

    public HttpClient Http { get; }

    public EndpointManager Manager => _app.Services.GetRequiredService<EndpointManager>();

    public EndpointSelection Selection => _app.Services.GetRequiredService<EndpointSelection>();

    public OipGrpcClient Grpc
    {
        get
        {
            _channel ??= GrpcChannel.ForAddress(SlipwayHost.GetGrpcAddress(_app)!);
            return new OipGrpcClient(_channel);
        }
    }

    public static async Task<DataPlaneHost> StartAsync(Action<ServeOptions> configure)
    {
        var folder = Path.Combine(Path.GetTempPath(), "slipway-serve-" + Guid.NewGuid().ToString("N"));
        var options = new ServeOptions
        {
            Port = 0,
            GrpcPortIsDynamic = true,
            ModelCacheDirectory = Path.Combine(folder, "model-cache"),
            PollInterval = TimeSpan.FromMilliseconds(200),
        };
        configure(options);
        var app = SlipwayServeHost.Build(options);
        await app.StartAsync();
        return new DataPlaneHost(app, folder);
    }

    /// <summary>The readiness probe's status and text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> ReadyAsync()
    {
        using var response = await Http.GetAsync("/health/ready");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        _channel?.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover (or never created) temp folder must not fail a test.
        }
    }
}
