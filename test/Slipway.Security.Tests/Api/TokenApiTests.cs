using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Audit;
using Slipway.Security.Credentials;
using static Slipway.Security.Tests.Api.AccountsApiFixture;

namespace Slipway.Security.Tests.Api;

/// <summary>The <c>tokens</c> routes: the secret is shown once, works as a Bearer token, and stops working once revoked.</summary>
public sealed class TokenApiTests(AccountsApiFixture api) : IClassFixture<AccountsApiFixture>
{
    [Fact]
    public async Task CreateToken_SecretWorksAsBearer_ListNeverShowsIt()
    {
        var (name, credentials) = await api.NewUserAsync("tokens");

        var created = await api.SendAsync(credentials, "POST", SlipwayApi + "tokens", new { name = "ci", expires_in_days = 7 });
        var secret = created.Json.GetProperty("secret").GetString()!;
        var whoami = await api.SendAsync(Bearer(secret), "GET", SlipwayApi + "whoami");
        var list = await api.SendAsync(credentials, "GET", SlipwayApi + "tokens");

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.StartsWith("slw_", secret, StringComparison.Ordinal);
        var token = created.Json.GetProperty("token");
        Assert.Equal(("ci", "personal", name, name), (token.GetProperty("name").GetString(), token.GetProperty("kind").GetString(),
            token.GetProperty("subject").GetString(), token.GetProperty("created_by").GetString()));
        Assert.StartsWith(token.GetProperty("prefix").GetString()!, secret, StringComparison.Ordinal);
        var lifetime = token.GetProperty("expiry_time").GetInt64() - token.GetProperty("creation_time").GetInt64();
        Assert.Equal((long)TimeSpan.FromDays(7).TotalMilliseconds, lifetime);
        Assert.Equal((HttpStatusCode.OK, name, "token"), (whoami.Status, whoami.Json.GetProperty("user").GetProperty("name").GetString(),
            whoami.Json.GetProperty("auth_method").GetString()));
        var listed = Assert.Single(list.Json.GetProperty("tokens").EnumerateArray());
        Assert.Equal(token.GetProperty("id").GetString(), listed.GetProperty("id").GetString());
        Assert.DoesNotContain(secret, list.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", list.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", created.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeToken_NextRequestWithIt_Is401()
    {
        var (_, credentials) = await api.NewUserAsync("revoker");
        var created = await api.SendAsync(credentials, "POST", SlipwayApi + "tokens", new { name = "laptop" });
        var secret = created.Json.GetProperty("secret").GetString()!;
        var id = created.Json.GetProperty("token").GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(Bearer(secret), "GET", SlipwayApi + "whoami")).Status);

        var revoked = await api.SendAsync(credentials, "DELETE", SlipwayApi + "tokens/" + id);
        var after = await api.SendAsync(Bearer(secret), "GET", SlipwayApi + "whoami");
        var again = await api.SendAsync(credentials, "DELETE", SlipwayApi + "tokens/" + id);

        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.True(revoked.Json.GetProperty("token").GetProperty("revoked_time").GetInt64() > 0);
        after.AssertError(HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        Assert.Equal(revoked.Json.GetProperty("token").GetProperty("revoked_time").GetInt64(),
            again.Json.GetProperty("token").GetProperty("revoked_time").GetInt64());
    }

    [Fact]
    public async Task TokensOfAnotherUser_NeedAnAdministrator()
    {
        var (owner, ownerCredentials) = await api.NewUserAsync("owner");
        var (_, intruder) = await api.NewUserAsync("intruder");
        var created = await api.SendAsync(ownerCredentials, "POST", SlipwayApi + "tokens", new { name = "mine" });
        var id = created.Json.GetProperty("token").GetProperty("id").GetString()!;

        var revoke = await api.SendAsync(intruder, "DELETE", SlipwayApi + "tokens/" + id);
        var list = await api.SendAsync(intruder, "GET", SlipwayApi + "tokens?user=" + owner);
        var issue = await api.SendAsync(intruder, "POST", SlipwayApi + "tokens", new { name = "for-owner", user = owner });
        var adminIssue = await api.SendAsync(api.Admin, "POST", SlipwayApi + "tokens", new { name = "for-owner", user = owner });
        var adminList = await api.SendAsync(api.Admin, "GET", SlipwayApi + "tokens?user=" + owner);

        revoke.AssertError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        list.AssertError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        issue.AssertError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Equal(HttpStatusCode.OK, adminIssue.Status);
        Assert.Equal((owner, "admin"), (adminIssue.Json.GetProperty("token").GetProperty("subject").GetString(),
            adminIssue.Json.GetProperty("token").GetProperty("created_by").GetString()));
        Assert.Equal(2, adminList.Json.GetProperty("tokens").GetArrayLength());
        var stillActive = await api.SendAsync(ownerCredentials, "GET", SlipwayApi + "tokens");
        Assert.All(stillActive.Json.GetProperty("tokens").EnumerateArray(), t => Assert.False(t.TryGetProperty("revoked_time", out _)));
    }

    [Theory]
    [InlineData("""{"expires_in_days": 7}""")]
    [InlineData("""{"name": "", "expires_in_days": 7}""")]
    [InlineData("""{"name": "ci", "expires_in_days": 0}""")]
    [InlineData("""{"name": "ci", "expires_in_days": 100000}""")]
    [InlineData("""{"name": "ci", "user": "someone", "endpoint": "something"}""")]
    [InlineData("""{"name": "ci", "expires_in_days": "soon"}""")]
    public async Task CreateToken_InvalidInput_Is400AndIssuesNothing(string body)
    {
        var (_, credentials) = await api.NewUserAsync("badtoken");

        var answer = await api.SendAsync(credentials, "POST", SlipwayApi + "tokens", body);
        var list = await api.SendAsync(credentials, "GET", SlipwayApi + "tokens");

        answer.AssertError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Equal(0, list.Json.GetProperty("tokens").GetArrayLength());
    }

    [Fact]
    public async Task TokenAuditEvents_CarryTheActor_AndNoSecret()
    {
        var (name, credentials) = await api.NewUserAsync("audited");
        var created = await api.SendAsync(credentials, "POST", SlipwayApi + "tokens", new { name = "audited" });
        var secret = created.Json.GetProperty("secret").GetString()!;
        var id = created.Json.GetProperty("token").GetProperty("id").GetString()!;
        await api.SendAsync(api.Admin, "DELETE", SlipwayApi + "tokens/" + id);

        var audit = api.Server.Services.GetRequiredService<IAuditStore>();
        var (events, _) = await audit.SearchAsync(new AuditQuery($"users/{name}/tokens/{id}", null, null, 10, 0), CancellationToken.None);

        Assert.Equal([("token.created", name), ("token.revoked", "admin")], events.Select(e => (e.Action, e.Actor)));
        var hash = TokenCodec.HashOf(secret);
        Assert.All(events, e => Assert.DoesNotContain(secret, e.Before + e.After, StringComparison.Ordinal));
        Assert.All(events, e => Assert.DoesNotContain(hash, e.Before + e.After, StringComparison.Ordinal));
    }
}
