using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Slipway.Core.Security;
using Slipway.Serving.Inference;
using Slipway.Serving.Protocols.Grpc;

namespace Slipway.Serving.Tests.Protocols;

/// <summary>
/// A real Kestrel host on 127.0.0.1 with a free port serving only the OIP gRPC service over the given targets,
/// and a channel to it. The client is the stub generated from <c>grpc_inference.proto</c>.
/// </summary>
public sealed class GrpcTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private GrpcTestHost(WebApplication app, GrpcChannel channel, OipGrpcClient client)
    {
        _app = app;
        _channel = channel;
        Client = client;
    }

    public OipGrpcClient Client { get; }

    /// <param name="configure">Changes to the services after the defaults (an allow-all <c>serving:infer</c> policy).</param>
    public static async Task<GrpcTestHost> StartAsync(IInferenceTargets targets, Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // HTTP/2 only: without TLS, Kestrel speaks HTTP/2 (prior knowledge, as gRPC clients use) on no other endpoint.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(targets);
        builder.Services.AddAuthorizationBuilder().AddPolicy(SlipwayPolicies.ServingInfer, policy => policy.RequireAssertion(_ => true));
        builder.Services.AddOipGrpc();
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapOipGrpc();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = OipGrpcModule.MaxReceiveMessageBytes });
        return new GrpcTestHost(app, channel, new OipGrpcClient(channel));
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
