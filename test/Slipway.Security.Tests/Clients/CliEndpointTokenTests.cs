using System.Net;
using Slipway.Cli;
using Slipway.Security.Tests.Serving;

namespace Slipway.Security.Tests.Clients;

/// <summary>
/// <c>slipway tokens create --endpoint</c> end to end: the endpoint's owner makes a token with the CLI, a caller with
/// only that token gets predictions, and once the CLI revokes it the caller gets 401. Uses the serving suite's fixture
/// (a real server with auth on and alice's model); the caller is named by the environment, so it runs alone.
/// </summary>
[Collection(ClientEnvironmentCollection.Name)]
public sealed class CliEndpointTokenTests(ServingAuthFixture fixture) : IClassFixture<ServingAuthFixture>
{
    [Fact]
    public async Task TokensCreateForEndpoint_OpensInferenceUntilRevoked()
    {
        var endpoint = await fixture.NewEndpointAsync();
        var uri = fixture.Server.BaseAddress.ToString();
        using var _ = TrackingEnvironment.Set(fixture.Server.BaseAddress, password: ServingAuthFixture.UserPassword, slipwayUser: "alice");

        var created = (await SecurityCli.RunAsync("tokens", "create", "scoring", "--endpoint", endpoint, "--expires-in", "1w", "--json", "--tracking-uri", uri)).Json();
        var secret = created.GetProperty("secret").GetString()!;
        var id = created.GetProperty("token").GetProperty("id").GetString()!;
        var withToken = await fixture.InferAsync(ServingAuthFixture.Bearer(secret), endpoint);
        var listed = (await SecurityCli.RunAsync("tokens", "list", "--endpoint", endpoint, "--json", "--tracking-uri", uri)).Json();
        var revoked = await SecurityCli.RunAsync("tokens", "revoke", id, "--tracking-uri", uri);
        var afterRevoke = await fixture.InferAsync(ServingAuthFixture.Bearer(secret), endpoint);

        Assert.Equal(("endpoint", endpoint), (created.GetProperty("token").GetProperty("kind").GetString(), created.GetProperty("token").GetProperty("subject").GetString()));
        Assert.True(withToken.Status == HttpStatusCode.OK, withToken.Text);
        Assert.Contains(listed.EnumerateArray(), t => t.GetProperty("id").GetString() == id);
        Assert.True(revoked.ExitCode == CliApp.Success, revoked.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.Status);
    }
}
