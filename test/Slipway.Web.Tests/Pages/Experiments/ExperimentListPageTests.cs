using Microsoft.Playwright;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Pages.Experiments;

[Collection(UiCollection.Name)]
public sealed class ExperimentListPageTests(UiFixture ui)
{
    [Fact]
    public async Task Search_ByPartOfTheName_ListsOnlyMatchingExperimentsAndLinksToThem()
    {
        var token = UiFixture.Unique("search");
        var wantedId = await ui.Client.CreateExperimentAsync(token + "-churn-model");
        await ui.Client.CreateExperimentAsync(token + "-fraud-model");

        await using var page = await ui.OpenAsync("/experiments");
        await page.Page.Locator("[data-test=experiments-table]").WaitForAsync();
        await page.Page.Locator("[data-test=experiment-search]").FillAsync(token + "-churn");
        await page.Page.Locator("[data-test=experiment-search]").PressAsync("Enter");

        var rows = page.Page.Locator("[data-test=experiment-row]");
        await page.Page.WaitForFunctionAsync("() => document.querySelectorAll('[data-test=experiment-row]').length === 1");
        var link = rows.Locator("[data-test=experiment-link]");
        Assert.Equal(token + "-churn-model", await link.InnerTextAsync());
        Assert.Equal($"experiments/{wantedId}", await link.GetAttributeAsync("href"));
        await page.ScreenshotAsync("experiments-list");

        await link.ClickAsync();
        await page.Page.Locator("[data-test=experiment-name]", new PageLocatorOptions { HasText = token + "-churn-model" }).WaitForAsync();
        page.AssertNoErrors();
    }

    [Fact]
    public async Task DeletedView_ShowsADeletedExperimentThatTheActiveViewHides()
    {
        var name = UiFixture.Unique("deleted-exp");
        var experimentId = await ui.Client.CreateExperimentAsync(name);
        await ui.Client.DeleteExperimentAsync(experimentId);

        await using var page = await ui.OpenAsync("/experiments");
        await page.Page.Locator("[data-test=experiment-search]").FillAsync(name);
        await page.Page.Locator("[data-test=experiment-search]").PressAsync("Enter");
        await page.Page.Locator("[data-test=no-experiments]").WaitForAsync();

        await page.Page.Locator("[data-test=view-deleted]").ClickAsync();
        await page.Page.Locator("[data-test=experiment-link]", new PageLocatorOptions { HasText = name }).WaitForAsync();
        page.AssertNoErrors();
    }
}
