using System.Net;

namespace Slipway.Security.Tests.Serving;

/// <summary>
/// Endpoint tokens on <c>slipway server</c>: a token opens its own endpoint's inference routes over OIP REST, gRPC and
/// MLflow scoring, and nothing else (another endpoint, the control plane); once an endpoint has a token, signed-in
/// users are refused there; a revoked token is refused as unauthenticated.
/// </summary>
public sealed class EndpointTokenTests(ServingAuthFixture fixture) : IClassFixture<ServingAuthFixture>
{
    [Fact]
    public async Task EndpointToken_OpensItsEndpointOverEveryProtocol()
    {
        var endpoint = await fixture.NewEndpointAsync();
        var (_, secret) = await fixture.NewEndpointTokenAsync(endpoint);
        var token = ServingAuthFixture.Bearer(secret);

        var oip = await fixture.InferAsync(token, endpoint);
        var scoring = await fixture.SendAsync(token, "POST", $"/endpoints/{endpoint}/invocations", $$"""{"inputs": [{{fixture.FirstRow}}]}""");
        var grpc = await OipGrpcCalls.InferAsync(fixture.Server.GrpcAddress!, token, endpoint, fixture.FirstRow);
        var basic = await fixture.InferAsync(ServingAuthFixture.Basic("token", secret), endpoint);

        Assert.True(oip.Status == HttpStatusCode.OK, oip.Text);
        Assert.True(scoring.Status == HttpStatusCode.OK, scoring.Text);
        Assert.Equal((Grpc.Core.StatusCode.OK, 2), (grpc.Status, grpc.Outputs));
        Assert.True(basic.Status == HttpStatusCode.OK, basic.Text);
    }

    [Fact]
    public async Task EndpointToken_OnAnotherEndpointOrTheControlPlane_Gets403()
    {
        var endpoint = await fixture.NewEndpointAsync();
        var other = await fixture.NewEndpointAsync();
        var (_, secret) = await fixture.NewEndpointTokenAsync(endpoint);
        var token = ServingAuthFixture.Bearer(secret);

        var otherInfer = await fixture.InferAsync(token, other);
        var otherGrpc = await OipGrpcCalls.InferAsync(fixture.Server.GrpcAddress!, token, other, fixture.FirstRow);
        var spec = await fixture.SendAsync(token, "GET", $"/api/slipway/v1/endpoints/{endpoint}");
        var experiments = await fixture.SendAsync(token, "POST", "/api/2.0/mlflow/experiments/search", new { max_results = 10 });

        otherInfer.AssertOipError(HttpStatusCode.Forbidden);
        Assert.Equal(Grpc.Core.StatusCode.PermissionDenied, otherGrpc.Status);
        spec.AssertMlflowError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        experiments.AssertMlflowError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
    }

    [Fact]
    public async Task EndpointWithAToken_RefusesSignedInUsers_EvenItsOwner()
    {
        var endpoint = await fixture.NewEndpointAsync();
        var before = await fixture.InferAsync(fixture.Alice, endpoint);

        await fixture.NewEndpointTokenAsync(endpoint);
        Answer after = before;
        // The data plane reuses "does this endpoint require a token" for a few seconds; wait for the change to show.
        await ServingAuthFixture.WaitUntilAsync(async () =>
            (after = await fixture.InferAsync(fixture.Alice, endpoint)).Status != HttpStatusCode.OK, "the endpoint refuses users");
        var admin = await fixture.InferAsync(fixture.Admin, endpoint);

        Assert.True(before.Status == HttpStatusCode.OK, before.Text);
        after.AssertOipError(HttpStatusCode.Forbidden);
        Assert.Contains("endpoint tokens", after.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        admin.AssertOipError(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task RevokedToken_Gets401()
    {
        var endpoint = await fixture.NewEndpointAsync();
        var (id, secret) = await fixture.NewEndpointTokenAsync(endpoint);
        var token = ServingAuthFixture.Bearer(secret);
        var before = await fixture.InferAsync(token, endpoint);

        await fixture.CallOkAsync(fixture.Alice, "DELETE", $"/api/2.0/slipway/tokens/{id}", new { });
        var after = await fixture.InferAsync(token, endpoint);
        var grpc = await OipGrpcCalls.InferAsync(fixture.Server.GrpcAddress!, token, endpoint, fixture.FirstRow);

        Assert.True(before.Status == HttpStatusCode.OK, before.Text);
        after.AssertOipError(HttpStatusCode.Unauthorized);
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, grpc.Status);
    }

    [Fact]
    public async Task Grpc_WithoutCredentials_IsUnauthenticated()
    {
        var endpoint = await fixture.NewEndpointAsync();

        var anonymous = await OipGrpcCalls.InferAsync(fixture.Server.GrpcAddress!, null, endpoint, fixture.FirstRow);
        var oip = await fixture.InferAsync(null, endpoint);

        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, anonymous.Status);
        oip.AssertOipError(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task VerifyToken_AnswersWhatTheDataPlaneWouldDecide()
    {
        var endpoint = await fixture.NewEndpointAsync();
        var other = await fixture.NewEndpointAsync();
        var (_, secret) = await fixture.NewEndpointTokenAsync(endpoint);
        var token = ServingAuthFixture.Bearer(secret);

        var own = await fixture.SendAsync(token, "POST", $"/api/2.0/slipway/endpoints/{endpoint}/verify-token", new { });
        var foreign = await fixture.SendAsync(token, "POST", $"/api/2.0/slipway/endpoints/{other}/verify-token", new { });
        var anonymous = await fixture.SendAsync(null, "POST", $"/api/2.0/slipway/endpoints/{other}/verify-token", new { });
        var bob = await fixture.SendAsync(fixture.Bob, "POST", $"/api/2.0/slipway/endpoints/{other}/verify-token", new { });
        var alice = await fixture.SendAsync(fixture.Alice, "POST", $"/api/2.0/slipway/endpoints/{other}/verify-token", new { });

        Assert.True(own.Status == HttpStatusCode.OK, own.Text);
        Assert.Equal("endpoint-token", own.Json.GetProperty("principal").GetString());
        Assert.True(own.Json.GetProperty("auth_enabled").GetBoolean());
        foreign.AssertMlflowError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        anonymous.AssertMlflowError(HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        bob.AssertMlflowError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.True(alice.Status == HttpStatusCode.OK, alice.Text);
        Assert.Equal("user", alice.Json.GetProperty("principal").GetString());
    }
}
