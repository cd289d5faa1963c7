using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Security;

/// <summary>The Tokens page: a personal access token is shown once, works as a Bearer token, and stops when revoked.</summary>
[Collection(UiCollection.Name)]
public sealed class TokensPageTests(UiFixture ui, AuthUiFixture auth) : IClassFixture<AuthUiFixture>
{
    [Fact]
    public async Task CreateToken_ShowsTheSecretOnce_ItWorksAsBearer_AndRevokingItStopsIt()
    {
        var user = await auth.CreateUserAsync("tokens");
        var tokenName = UiFixture.Unique("laptop");
        await using var page = await auth.SignInAsync(ui.Browser, user, AuthUiFixture.UserPassword);
        await page.Page.Locator("[data-test=tokens-link]").ClickAsync();
        await page.Page.Locator("[data-test=no-tokens]").WaitForAsync();

        await page.Page.Locator("[data-test=token-name]").FillAsync(tokenName);
        await page.Page.Locator("[data-test=token-days]").FillAsync("7");
        await page.Page.Locator("[data-test=token-create]").ClickAsync();
        var secret = await page.Page.Locator("[data-test=token-secret]").InnerTextAsync();
        await page.Page.Locator("[data-test=token-row]").WaitForAsync();
        await page.ScreenshotAsync("tokens-created");

        Assert.StartsWith("slw_", secret, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await SearchExperimentsAsync(secret));
        Assert.Equal(HttpStatusCode.Unauthorized, await SearchExperimentsAsync("slw_" + new string('x', 43)));

        // Shown once: the list keeps the name and prefix only, also after the page is opened again.
        await page.GotoAsync("/tokens");
        var row = page.Page.Locator("[data-test=token-row]");
        await row.WaitForAsync();
        Assert.Contains(tokenName, await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await page.Page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Page.Locator("[data-test=token-secret]").CountAsync());

        await row.Locator("[data-test=token-revoke]").ClickAsync();
        await page.Page.Locator("[data-test=token-row] [data-status=REVOKED]").WaitForAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await SearchExperimentsAsync(secret));
        page.AssertNoErrors();
    }

    private async Task<HttpStatusCode> SearchExperimentsAsync(string bearer)
    {
        using var http = auth.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/experiments/search")
        {
            Content = new StringContent("{\"max_results\":1}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
