using System.Net;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Security;

/// <summary>The UI with authentication off (the shared UI server): no login page, but the same security headers.</summary>
[Collection(UiCollection.Name)]
public sealed class AuthOffUiTests(UiFixture ui)
{
    [Fact]
    public async Task Login_AuthenticationOff_LeadsBackToTheUi()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = ui.Server.BaseAddress };

        using var login = await http.GetAsync("/login?returnUrl=%2Fmodels");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/models", login.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ComparePage_OnlyItsDocumentMayEvaluateCode_ForPlotlysWebGlCharts()
    {
        using var http = ui.Server.CreateClient();

        using var compare = await http.GetAsync("/compare?runs=a,b");
        using var experiments = await http.GetAsync("/experiments");

        Assert.Contains("script-src 'self' 'unsafe-eval'", compare.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        SecurityHeaderAssert.Present(SecurityHeaderAssert.Of(experiments));
    }

    [Fact]
    public async Task Pages_AuthenticationOff_CarryTheSecurityHeaders_AndTheTokensPageSaysNoneAreNeeded()
    {
        await using var page = await ui.OpenAsync("/tokens");
        var response = await page.Page.GotoAsync("tokens");
        await page.Page.Locator("[data-test=tokens-off]").WaitForAsync();

        Assert.NotNull(response);
        SecurityHeaderAssert.Present(await response.AllHeadersAsync());
        Assert.Equal(0, await page.Page.Locator("[data-test=sign-out]").CountAsync());
        page.AssertNoErrors();
    }
}
