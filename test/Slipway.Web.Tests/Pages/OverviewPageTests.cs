using Microsoft.Playwright;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Pages;

[Collection(UiCollection.Name)]
public sealed class OverviewPageTests(UiFixture ui)
{
    [Fact]
    public async Task Overview_WithAnExperiment_ListsItAndLinksToIt()
    {
        var name = UiFixture.Unique("overview");
        var experimentId = await ui.Client.CreateExperimentAsync(name);

        await using var page = await ui.OpenAsync("/");
        var link = page.Page.Locator("[data-test=recent-experiments] a", new PageLocatorOptions { HasText = name });
        await link.WaitForAsync();

        Assert.Equal($"experiments/{experimentId}", await link.GetAttributeAsync("href"));
        await page.ScreenshotAsync("overview");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task Assets_FrameworkScriptAndPlotly_AreServedFromTheBinaryGzipped()
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.None })
        {
            BaseAddress = ui.Server.BaseAddress,
        };
        foreach (var path in new[] { "_framework/blazor.web.js", "_content/Plotly.Blazor/plotly-3.7.0.min.js", "ui/slipway.css" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.AcceptEncoding.ParseAdd("gzip");
            using var response = await http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
            Assert.NotNull(response.Headers.ETag);
        }
        using var missing = await http.GetAsync("ui/../slipway.css");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }
}
