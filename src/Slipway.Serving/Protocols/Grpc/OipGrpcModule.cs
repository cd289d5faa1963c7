using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Slipway.Core.Security;

namespace Slipway.Serving.Protocols.Grpc;

public static class OipGrpcModule
{
    /// <summary>Largest ModelInfer request accepted (gRPC's own default is 4 MiB, too small for batch tensors).</summary>
    public const int MaxReceiveMessageBytes = 64 * 1024 * 1024;

    /// <summary>
    /// Registers the Open Inference Protocol gRPC service (<c>inference.GRPCInferenceService</c>). Needs an
    /// <see cref="Inference.IInferenceTargets"/>; each model call asks the registered <see cref="Security.IInferenceAuthorizer"/>
    /// (none: every caller is served). The receive limit applies to this service only, so other gRPC
    /// services in the host keep their own. The service is a singleton: it holds no per-call state, and ModelInfer
    /// is a hot path.
    /// </summary>
    public static IServiceCollection AddOipGrpc(this IServiceCollection services)
    {
        services.AddGrpc().AddServiceOptions<OipGrpcService>(options => options.MaxReceiveMessageSize = MaxReceiveMessageBytes);
        // Whichever authorizer is registered, in any order; a host that registers none serves everyone.
        services.TryAddSingleton(sp => new OipGrpcService(
            sp.GetRequiredService<Inference.IInferenceTargets>(),
            sp.GetService<Security.IInferenceAuthorizer>() ?? Security.OpenInferenceAuthorizer.Instance,
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<OipGrpcService>>()));
        return services;
    }

    /// <summary>
    /// Maps <c>/inference.GRPCInferenceService/*</c> behind the <see cref="SlipwayPolicies.ServingInfer"/> policy, like
    /// the OIP REST routes. gRPC needs HTTP/2: without TLS, Kestrel only speaks it on an endpoint whose protocols are
    /// <c>Http2</c> alone (an <c>Http1AndHttp2</c> cleartext endpoint answers HTTP/2 with HTTP_1_1_REQUIRED); with TLS,
    /// <c>Http1AndHttp2</c> negotiates it through ALPN and can share the REST port.
    /// </summary>
    public static IEndpointRouteBuilder MapOipGrpc(this IEndpointRouteBuilder app)
    {
        // Kestrel's own body limit (30 MB by default) applies to unary gRPC calls too; the routing middleware lifts it
        // for these endpoints to the message limit plus gRPC's 5-byte frame header.
        app.MapGrpcService<OipGrpcService>()
            .WithMetadata(new RequestSizeLimit(MaxReceiveMessageBytes + 5L))
            .RequireAuthorization(SlipwayPolicies.ServingInfer);
        return app;
    }

    private sealed class RequestSizeLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => bytes;
    }
}
