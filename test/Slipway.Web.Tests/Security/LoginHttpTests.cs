using System.Net;
using Slipway.Testing;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Security;

/// <summary>The login form's protections, over plain HTTP: anti-forgery, throttling, cookie attributes, headers.</summary>
[Collection(UiCollection.Name)]
public sealed class LoginHttpTests(AuthUiFixture auth) : IClassFixture<AuthUiFixture>
{
    [Fact]
    public async Task PostLogin_WithoutTheAntiforgeryToken_Returns400AndNoSession()
    {
        var user = await auth.CreateUserAsync("no-token");
        using var form = new LoginForm(auth.Server.BaseAddress);
        await form.OpenAsync();

        using var response = await form.PostAsync(user, AuthUiFixture.UserPassword, antiforgery: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("slipway.session=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PostLogin_WithAnotherBrowsersToken_Returns400()
    {
        var user = await auth.CreateUserAsync("foreign-token");
        using var attacker = new LoginForm(auth.Server.BaseAddress);
        var attackersToken = await attacker.OpenAsync();
        using var victim = new LoginForm(auth.Server.BaseAddress);
        await victim.OpenAsync();

        using var response = await victim.PostAsync(user, AuthUiFixture.UserPassword, attackersToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task PostLogin_WithTheToken_RedirectsToTheLocalReturnUrlAndSetsTheSession()
    {
        var user = await auth.CreateUserAsync("form-ok");
        using var form = new LoginForm(auth.Server.BaseAddress);
        var token = await form.OpenAsync();

        using var response = await form.PostAsync(user, AuthUiFixture.UserPassword, token, "/pipelines");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/pipelines", response.Headers.Location?.OriginalString);
        var session = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("slipway.session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", session, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", session, StringComparison.Ordinal);
        Assert.Contains("secure", session, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginPageAndAssets_NotSignedIn_AreServedWithTheSecurityHeaders()
    {
        using var http = auth.Server.CreateClient();

        using var login = await http.GetAsync("/login");
        using var styles = await http.GetAsync("/ui/slipway.css");
        using var blazor = await http.GetAsync("/_framework/blazor.web.js");

        foreach (var response in (HttpResponseMessage[])[login, styles, blazor])
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            SecurityHeaderAssert.Present(SecurityHeaderAssert.Of(response));
        }
        Assert.Equal("no-store", login.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task BlazorConnection_NotSignedIn_IsRefused()
    {
        using var http = auth.Server.CreateClient();

        using var negotiate = await http.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);

        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
    }

    [Fact]
    public async Task PostLogin_TooManyFailures_Answers429WithRetryAfterEvenForTheRightPassword()
    {
        await using var server = await SlipwayTestServer.StartAsync(configure: o =>
        {
            o.Auth.Enabled = true;
            o.Auth.AdminPassword = AuthUiFixture.AdminPassword;
            o.Auth.PasswordIterations = 10_000;
            o.Auth.MaxFailedSignIns = 2;
            o.Auth.FailureWindow = TimeSpan.FromMinutes(10);
        });
        using var form = new LoginForm(server.BaseAddress);
        var token = await form.OpenAsync();

        using var first = await form.PostAsync(AuthUiFixture.AdminUser, "wrong-password-1", token);
        using var second = await form.PostAsync(AuthUiFixture.AdminUser, "wrong-password-2", token);
        using var throttled = await form.PostAsync(AuthUiFixture.AdminUser, AuthUiFixture.AdminPassword, token);

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        // The failure that reaches the limit already answers 429, and so does everything after it.
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After names no wait.");
        Assert.Contains("Too many failed sign-ins", await throttled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(throttled.Headers.Contains("Set-Cookie") && throttled.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("slipway.session=", StringComparison.Ordinal)));
    }
}
