using System.Net;
using Microsoft.AspNetCore.Builder;
using Slipway.Server;

namespace Slipway.Security.Tests.Serving;

/// <summary>
/// <c>slipway serve</c> following a control plane with authentication on: the data plane signs in as alice to read her
/// endpoints and download the model, and checks each caller's credentials with the control plane
/// (<c>verify-token</c>), so the same rules hold there as on <c>slipway server</c>.
/// </summary>
public sealed class ServeHostAuthTests(ServingAuthFixture fixture) : IClassFixture<ServingAuthFixture>
{
    [Fact]
    public async Task Serve_ChecksCallersWithTheControlPlane()
    {
        var endpoint = await fixture.NewEndpointAsync();
        var other = await fixture.NewEndpointAsync();
        var (_, secret) = await fixture.NewEndpointTokenAsync(endpoint);
        var (_, otherSecret) = await fixture.NewEndpointTokenAsync(other);
        var token = ServingAuthFixture.Bearer(secret);
        await using var serve = await ServeHost.StartAsync(fixture, endpoint, other);
        await ServingAuthFixture.WaitUntilAsync(async () => (await serve.InferAsync(fixture, token, endpoint)).Status == HttpStatusCode.OK,
            "the data plane serves the endpoint");

        var anonymous = await serve.InferAsync(fixture, null, endpoint);
        var wrongToken = await serve.InferAsync(fixture, ServingAuthFixture.Bearer(otherSecret), endpoint);
        var user = await serve.InferAsync(fixture, fixture.Alice, endpoint);
        var scoring = await ServingAuthFixture.SendAsync(serve.BaseAddress, token, "POST", $"/endpoints/{endpoint}/invocations", $$"""{"inputs": [{{fixture.FirstRow}}]}""");
        var grpc = await OipGrpcCalls.InferAsync(serve.GrpcAddress, token, endpoint, fixture.FirstRow);
        var grpcAnonymous = await OipGrpcCalls.InferAsync(serve.GrpcAddress, null, endpoint, fixture.FirstRow);
        var live = await ServingAuthFixture.SendAsync(serve.BaseAddress, null, "GET", "/v2/health/live");

        anonymous.AssertOipError(HttpStatusCode.Unauthorized);
        wrongToken.AssertOipError(HttpStatusCode.Forbidden);
        user.AssertOipError(HttpStatusCode.Forbidden);
        Assert.True(scoring.Status == HttpStatusCode.OK, scoring.Text);
        Assert.Equal((Grpc.Core.StatusCode.OK, 2), (grpc.Status, grpc.Outputs));
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, grpcAnonymous.Status);
        Assert.Equal(HttpStatusCode.OK, live.Status);
    }

    [Fact]
    public async Task Serve_UserWithReadOnAnOpenEndpoint_IsLetIn_AndOthersAreNot()
    {
        var endpoint = await fixture.NewEndpointAsync();
        await fixture.GrantAsync(endpoint, "bob", "READ");
        await using var serve = await ServeHost.StartAsync(fixture, endpoint);
        await ServingAuthFixture.WaitUntilAsync(async () => (await serve.InferAsync(fixture, fixture.Alice, endpoint)).Status == HttpStatusCode.OK,
            "the data plane serves the endpoint");

        var bob = await serve.InferAsync(fixture, fixture.Bob, endpoint);
        var wrongPassword = await serve.InferAsync(fixture, ServingAuthFixture.Basic("bob", "not-bobs-password"), endpoint);

        Assert.True(bob.Status == HttpStatusCode.OK, bob.Text);
        wrongPassword.AssertOipError(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Serve_RevokedToken_IsRefusedOnceTheRememberedVerdictExpires()
    {
        var endpoint = await fixture.NewEndpointAsync();
        var (id, secret) = await fixture.NewEndpointTokenAsync(endpoint);
        var token = ServingAuthFixture.Bearer(secret);
        await using var serve = await ServeHost.StartAsync(fixture, endpoint);
        await ServingAuthFixture.WaitUntilAsync(async () => (await serve.InferAsync(fixture, token, endpoint)).Status == HttpStatusCode.OK,
            "the data plane serves the endpoint");

        await fixture.CallOkAsync(fixture.Alice, "DELETE", $"/api/2.0/slipway/tokens/{id}", new { });
        Answer after = new(HttpStatusCode.OK, "");
        await ServingAuthFixture.WaitUntilAsync(async () => (after = await serve.InferAsync(fixture, token, endpoint)).Status != HttpStatusCode.OK,
            "the data plane refuses the revoked token");

        after.AssertOipError(HttpStatusCode.Unauthorized);
    }

    /// <summary>A real <c>slipway serve</c> on free ports following the fixture's server, signed in as alice.</summary>
    private sealed class ServeHost : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly string _folder;

        private ServeHost(WebApplication app, string folder)
        {
            _app = app;
            _folder = folder;
        }

        public Uri BaseAddress => SlipwayHost.GetBaseAddress(_app);

        public Uri GrpcAddress => SlipwayHost.GetGrpcAddress(_app)!;

        public static async Task<ServeHost> StartAsync(ServingAuthFixture fixture, params string[] endpoints)
        {
            var folder = Path.Combine(Path.GetTempPath(), "slipway-serve-auth-" + Guid.NewGuid().ToString("N"));
            var options = new ServeOptions
            {
                Port = 0,
                GrpcPortIsDynamic = true,
                ControlPlane = fixture.Server.BaseAddress.ToString(),
                ControlPlaneUserName = "alice",
                ControlPlanePassword = ServingAuthFixture.UserPassword,
                ModelCacheDirectory = Path.Combine(folder, "model-cache"),
                PollInterval = TimeSpan.FromMilliseconds(200),
            };
            options.Endpoints.AddRange(endpoints);
            var app = SlipwayServeHost.Build(options);
            await app.StartAsync();
            return new ServeHost(app, folder);
        }

        public Task<Answer> InferAsync(ServingAuthFixture fixture, System.Net.Http.Headers.AuthenticationHeaderValue? caller, string endpoint) =>
            ServingAuthFixture.SendAsync(BaseAddress, caller, "POST", $"/v2/models/{endpoint}/infer", fixture.InferBody());

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder must not fail a test.
            }
        }
    }
}
