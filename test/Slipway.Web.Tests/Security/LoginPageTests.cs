using Microsoft.Playwright;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Security;

/// <summary>The login page in headless Chromium against a server with authentication on.</summary>
[Collection(UiCollection.Name)]
public sealed class LoginPageTests(UiFixture ui, AuthUiFixture auth) : IClassFixture<AuthUiFixture>
{
    [Fact]
    public async Task PageVisit_NotSignedIn_RedirectsToLoginWithTheReturnUrl()
    {
        await using var page = await auth.OpenLoginAsync(ui.Browser, "/experiments?view=x");

        var url = new Uri(page.Page.Url);
        Assert.Equal("/login", url.AbsolutePath);
        Assert.Equal("?returnUrl=" + Uri.EscapeDataString("/experiments?view=x"), url.Query);
        Assert.Equal("/experiments?view=x", await page.Page.Locator("input[name=returnUrl]").InputValueAsync());
        await page.ScreenshotAsync("login");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task SignIn_WrongPasswordOrUnknownUser_ShowsTheSameMessageAndStaysOnTheForm()
    {
        var user = await auth.CreateUserAsync("wrong-pw");
        await using var page = await auth.OpenLoginAsync(ui.Browser, "/models");

        await AuthUiFixture.SubmitLoginAsync(page, user, "not-the-password");
        var wrongPassword = await page.Page.Locator("[data-test=login-error]").InnerTextAsync();
        Assert.Equal("/login", new Uri(page.Page.Url).AbsolutePath);
        Assert.Equal(user, await page.Page.Locator("[data-test=login-user]").InputValueAsync());
        Assert.Equal("/models", await page.Page.Locator("input[name=returnUrl]").InputValueAsync());

        await AuthUiFixture.SubmitLoginAsync(page, UiFixture.Unique("nobody"), "not-the-password");
        var unknownUser = await page.Page.Locator("[data-test=login-error]").InnerTextAsync();

        Assert.Equal(wrongPassword, unknownUser);
        Assert.Contains("not right", wrongPassword, StringComparison.Ordinal);
        Assert.DoesNotContain(await page.Page.Context.CookiesAsync(), c => c.Name == "slipway.session");
        await page.ScreenshotAsync("login-failed");
    }

    [Fact]
    public async Task SignIn_RightPassword_LandsOnTheReturnUrlWithAStrictHttpOnlySecureCookie()
    {
        var user = await auth.CreateUserAsync("right-pw");

        await using var page = await auth.SignInAsync(ui.Browser, user, AuthUiFixture.UserPassword, "/models");

        Assert.Equal("/models", new Uri(page.Page.Url).AbsolutePath);
        Assert.Equal(user, await page.Page.Locator("[data-test=signed-in-user]").InnerTextAsync());
        var session = Assert.Single(await page.Page.Context.CookiesAsync(), c => c.Name == "slipway.session");
        Assert.True(session.HttpOnly);
        Assert.True(session.Secure);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        // HttpOnly: the page's scripts cannot read the session.
        Assert.DoesNotContain("slipway.session", await page.Page.EvaluateAsync<string>("() => document.cookie"), StringComparison.Ordinal);
        await page.ScreenshotAsync("login-landed");
        page.AssertNoErrors();
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example/phish")]
    public async Task SignIn_ReturnUrlOffTheSite_LandsOnTheOverviewInstead(string returnUrl)
    {
        var user = await auth.CreateUserAsync("redirect");

        await using var page = await auth.SignInAsync(ui.Browser, user, AuthUiFixture.UserPassword, "/login?returnUrl=" + Uri.EscapeDataString(returnUrl));

        var landed = new Uri(page.Page.Url);
        Assert.Equal(auth.BrowserAddress.Authority, landed.Authority);
        Assert.Equal("/", landed.AbsolutePath);
    }

    [Fact]
    public async Task SignOut_EndsTheSession_AndPagesAskToSignInAgain()
    {
        var user = await auth.CreateUserAsync("sign-out");
        await using var page = await auth.SignInAsync(ui.Browser, user, AuthUiFixture.UserPassword, "/experiments");

        await page.Page.Locator("[data-test=sign-out]").ClickAsync();
        await page.Page.Locator("[data-test=login-form]").WaitForAsync();

        Assert.DoesNotContain(await page.Page.Context.CookiesAsync(), c => c.Name == "slipway.session");
        await page.Page.GotoAsync("experiments");
        await page.Page.Locator("[data-test=login-form]").WaitForAsync();
        Assert.Equal("/login", new Uri(page.Page.Url).AbsolutePath);
    }

    [Fact]
    public async Task UiPages_SignedIn_CarryTheSecurityHeaders()
    {
        var user = await auth.CreateUserAsync("headers");
        await using var page = await auth.SignInAsync(ui.Browser, user, AuthUiFixture.UserPassword);

        var response = await page.Page.GotoAsync("experiments");
        await page.Page.Locator(".app[data-interactive]").WaitForAsync();

        Assert.NotNull(response);
        SecurityHeaderAssert.Present(await response.AllHeadersAsync());
        page.AssertNoErrors();
    }
}
