using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Audit;
using Slipway.Core.Security;
using Slipway.Security.Authentication;
using Slipway.Security.Credentials;

namespace Slipway.Security.Tests.Core;

/// <summary>Authentication weaknesses found in review, each pinned by a test.</summary>
public sealed class ReviewFindingTests
{
    private const string WhoAmI = "/api/2.0/slipway/whoami";

    [Fact]
    public void Parallel_attempts_are_counted_before_they_are_checked_so_a_burst_cannot_pass_the_limit()
    {
        var throttle = new SignInThrottle(new SecurityOptions { MaxFailedSignIns = 3 }, TimeProvider.System);
        var client = IPAddress.Parse("10.1.0.1");

        // Ten guesses arrive before the first one's slow hash has finished.
        var admitted = Enumerable.Range(0, 10).Count(attempt => throttle.TryBegin("alice", client, out _, out _));

        Assert.Equal(3, admitted);
        Assert.NotNull(throttle.RetryAfter("alice", client));
    }

    [Fact]
    public void A_successful_attempt_gives_the_address_its_attempt_back()
    {
        var throttle = new SignInThrottle(new SecurityOptions { MaxFailedSignIns = 1 }, TimeProvider.System);
        var client = IPAddress.Parse("10.1.0.2");

        for (var i = 0; i < 3; i++)
        {
            Assert.True(throttle.TryBegin("user" + i, client, out _, out _));
            throttle.Succeeded("user" + i, client);
        }

        Assert.Null(throttle.RetryAfter("someone", client));
    }

    [Fact]
    public async Task A_valid_token_still_works_from_an_address_blocked_for_guessing_tokens()
    {
        await using var server = await AuthServer.StartAsync(o => o.MaxFailedSignIns = 2);
        var secret = await IssueTokenAsync(server, expiresInDays: 1);
        using var guesser = AuthServer.Client(server, new AuthenticationHeaderValue("Bearer", "slw_guess-" + Guid.NewGuid().ToString("N")));
        for (var i = 0; i < 10; i++)
            await guesser.GetAsync(WhoAmI);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.GetAsync(WhoAmI)).StatusCode);

        using var owner = AuthServer.Client(server, new AuthenticationHeaderValue("Bearer", secret));
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(WhoAmI)).StatusCode);
    }

    [Fact]
    public async Task A_token_made_with_a_token_never_outlives_it()
    {
        await using var server = await AuthServer.StartAsync();
        var parent = await IssueTokenAsync(server, expiresInDays: 1);
        using var withToken = AuthServer.Client(server, new AuthenticationHeaderValue("Bearer", parent));

        var child = await withToken.PostAsJsonAsync("/api/2.0/slipway/tokens", new { name = "child", expires_in_days = 300 });

        Assert.Equal(HttpStatusCode.OK, child.StatusCode);
        using var body = JsonDocument.Parse(await child.Content.ReadAsStringAsync());
        var expiry = body.RootElement.GetProperty("token").GetProperty("expiry_time").GetInt64();
        Assert.True(expiry <= DateTimeOffset.UtcNow.AddDays(1).AddMinutes(1).ToUnixTimeMilliseconds(), $"expiry {expiry} outlives the parent token");
    }

    [Fact]
    public void A_session_ends_when_the_user_is_gone_the_password_changes_or_admin_flag_or_roles_change()
    {
        var user = new SlipwayUser("alice", "pbkdf2-sha256$10000$a$b", IsAdmin: false, ["approver"], 1, 1);
        var principal = SlipwayPrincipals.ForUser(user, "cookie");

        Assert.True(SessionCookie.StillValid(principal, user));
        Assert.False(SessionCookie.StillValid(principal, null));
        Assert.False(SessionCookie.StillValid(principal, user with { PasswordHash = "pbkdf2-sha256$10000$c$d" }));
        Assert.False(SessionCookie.StillValid(principal, user with { IsAdmin = true }));
        Assert.False(SessionCookie.StillValid(principal, user with { Roles = [] }));
        Assert.False(SessionCookie.StillValid(principal, user with { Roles = ["approver", "operator"] }));
    }

    private static async Task<string> IssueTokenAsync(Slipway.Testing.SlipwayTestServer server, int expiresInDays)
    {
        using var admin = AuthServer.Client(server, AuthServer.Basic("admin", AuthServer.AdminPassword));
        var response = await admin.PostAsJsonAsync("/api/2.0/slipway/tokens", new { name = "t" + Guid.NewGuid().ToString("N")[..6], expires_in_days = expiresInDays });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("secret").GetString()!;
    }
}
