using System.Text.Encodings.Web;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Slipway.Core.Security;
using Slipway.Serving.Protocols.Grpc;

namespace Slipway.Serving.Tests.Protocols;

public sealed class GrpcAuthorizationTests
{
    [Fact]
    public async Task ModelInfer_CallerWithoutServingInferPermission_UnauthenticatedAndTargetNotCalled()
    {
        var echo = new FakeTarget("echo");
        await using var host = await GrpcTestHost.StartAsync(new FakeTargets(echo), services =>
        {
            services.AddAuthentication(Anonymous.SchemeName).AddScheme<AuthenticationSchemeOptions, Anonymous>(Anonymous.SchemeName, null);
            services.AddAuthorizationBuilder().AddPolicy(SlipwayPolicies.ServingInfer, policy => policy.RequireAuthenticatedUser());
        });
        var request = GrpcTensors.Request("echo", GrpcTensors.Input("x", "FP32", [1], new InferTensorContents { Fp32Contents = { 1f } }));

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.ModelInferAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Null(echo.LastRequest);
    }

    /// <summary>Authenticates nobody, so a policy that needs a user challenges with 401.</summary>
    private sealed class Anonymous(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "anonymous";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}
