using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Slipway.Core.Audit;
using Slipway.Core.Security;
using Slipway.Security.Credentials;
using Microsoft.Extensions.DependencyInjection;

namespace Slipway.Security.Tests.Core;

/// <summary>Who gets in: HTTP Basic with a password or a token, Bearer tokens, and the answers when nobody is signed in.</summary>
public sealed class AuthenticationTests
{
    private const string Search = "/api/2.0/mlflow/experiments/search?max_results=10";

    [Fact]
    public async Task The_bootstrapped_administrator_signs_in_with_http_basic()
    {
        await using var server = await AuthServer.StartAsync();
        using var client = AuthServer.Client(server, AuthServer.Basic("admin", AuthServer.AdminPassword));

        var response = await client.GetAsync(Search);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic YWRtaW46d3Jvbmc=")] // admin:wrong
    [InlineData("Basic not-base64!")]
    [InlineData("Bearer slw_this-token-was-never-issued-by-this-server")]
    [InlineData("Bearer not-a-slipway-token")]
    [InlineData("Digest username=admin")]
    public async Task Requests_without_valid_credentials_get_401_in_mlflow_error_json(string? authorization)
    {
        await using var server = await AuthServer.StartAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Search);
        if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("UNAUTHENTICATED", body.RootElement.GetProperty("error_code").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Health_probes_stay_anonymous_and_metrics_do_not()
    {
        await using var server = await AuthServer.StartAsync();
        using var client = server.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task A_personal_token_works_as_bearer_and_as_the_basic_password_until_it_is_revoked()
    {
        await using var server = await AuthServer.StartAsync();
        var store = server.Services.GetRequiredService<ISecurityStore>();
        var (secret, hash, prefix) = TokenCodec.NewSecret();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var token = await store.CreateTokenAsync(
            new AccessToken(TokenCodec.NewId(), TokenKind.Personal, "admin", "ci", prefix, hash, now, now + 3_600_000, null, null, "admin"),
            new AuditContext("admin", null), default);
        using var bearer = AuthServer.Client(server, new AuthenticationHeaderValue("Bearer", secret));
        using var basic = AuthServer.Client(server, AuthServer.Basic("admin", secret));

        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync(Search)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await basic.GetAsync(Search)).StatusCode);

        await store.RevokeTokenAsync(token.Id, now, new AuditContext("admin", null), default);
        server.Services.GetRequiredService<ISecurityCache>().TokenChanged(hash);

        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync(Search)).StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        await using var server = await AuthServer.StartAsync();
        var store = server.Services.GetRequiredService<ISecurityStore>();
        var (secret, hash, prefix) = TokenCodec.NewSecret();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await store.CreateTokenAsync(
            new AccessToken(TokenCodec.NewId(), TokenKind.Personal, "admin", "old", prefix, hash, now - 7_200_000, now - 1, null, null, "admin"),
            new AuditContext("admin", null), default);
        using var bearer = AuthServer.Client(server, new AuthenticationHeaderValue("Bearer", secret));

        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync(Search)).StatusCode);
    }

    [Fact]
    public async Task Changes_are_audited_under_the_signed_in_user_not_a_name_the_client_claims()
    {
        await using var server = await AuthServer.StartAsync();
        using var client = AuthServer.Client(server, AuthServer.Basic("admin", AuthServer.AdminPassword));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/registered-models/create")
        {
            Content = JsonContent.Create(new { name = "audited" }),
        };
        // A client may claim any name; the audit trail must show who actually signed in.
        request.Headers.Add("X-Request-Id", "audit-actor-check");

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);

        var audit = server.Services.GetRequiredService<IAuditStore>();
        var (events, _) = await audit.SearchAsync(new AuditQuery(null, "registered_model.created", null, 10, 0), default);
        Assert.Equal("admin", Assert.Single(events).Actor);
        var (signIns, _) = await audit.SearchAsync(new AuditQuery("users/admin", "auth.signin", null, 10, 0), default);
        Assert.NotEmpty(signIns);
    }

    [Fact]
    public async Task Without_any_user_or_admin_password_the_server_refuses_to_start_and_says_how_to_fix_it()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => Slipway.Testing.SlipwayTestServer.StartAsync(configure: o => o.Auth.Enabled = true));

        Assert.Contains("SLIPWAY_ADMIN_PASSWORD", failure.Message);
    }
}
