using System.Globalization;
using Microsoft.Playwright;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Pages.Experiments;

[Collection(UiCollection.Name)]
public sealed class ExperimentRunsPageTests(UiFixture ui)
{
    private const string Rows = "[data-test=runs-table] [data-test=run-row]";

    [Fact]
    public async Task SortByMetric_OrdersRowsByTheLatestValue_AscendingThenDescending()
    {
        var seeded = await ExperimentSeed.RunsAsync(ui.Client, "sort");
        await using var page = await OpenRunsAsync(seeded);

        var header = page.Page.Locator("[data-test='sort-metrics.rmse']");
        await header.ClickAsync();
        await page.Page.Locator("[data-test='sort-metrics.rmse'][data-sorted=asc]").WaitForAsync();
        Assert.Equal(new[] { 0.3, 0.5, 0.7, 0.9 }, await ColumnValuesAsync(page, "metrics.rmse"));
        Assert.Equal(["delta", "alpha", "gamma", "beta"], await page.Page.Locator(Rows + " [data-test=run-link]").AllInnerTextsAsync());

        await header.ClickAsync();
        await page.Page.Locator("[data-test='sort-metrics.rmse'][data-sorted=desc]").WaitForAsync();
        Assert.Equal(new[] { 0.9, 0.7, 0.5, 0.3 }, await ColumnValuesAsync(page, "metrics.rmse"));
        await page.ScreenshotAsync("experiment-runs");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task Filter_NarrowsRows_AndABadFilterShowsAnInlineErrorKeepingTheRows()
    {
        var seeded = await ExperimentSeed.RunsAsync(ui.Client, "filter");
        await using var page = await OpenRunsAsync(seeded);

        var filter = page.Page.Locator("[data-test=runs-filter]");
        await filter.FillAsync("metrics.rmse < 0.6 and params.optimizer = 'adam'");
        await filter.PressAsync("Enter");
        await WaitForRowCountAsync(page, 1);
        Assert.Equal(["alpha"], await page.Page.Locator(Rows + " [data-test=run-link]").AllInnerTextsAsync());

        await filter.FillAsync("metrics.rmse <<< 'oops");
        await page.Page.Locator("[data-test=apply-filter]").ClickAsync();
        var error = page.Page.Locator("[data-test=filter-error]");
        await error.WaitForAsync();
        Assert.False(string.IsNullOrWhiteSpace(await error.InnerTextAsync()));
        Assert.Equal(1, await page.Page.Locator(Rows).CountAsync());
        await page.ScreenshotAsync("experiment-runs-filter-error");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task FilterRunsAndOpenOne_LeadsToThatRunsPage()
    {
        var seeded = await ExperimentSeed.RunsAsync(ui.Client, "flow");
        await using var page = await OpenRunsAsync(seeded);

        await page.Page.Locator("[data-test=runs-filter]").FillAsync("params.lr = '0.1'");
        await page.Page.Locator("[data-test=runs-filter]").PressAsync("Enter");
        await WaitForRowCountAsync(page, 1);
        await page.Page.Locator(Rows + " [data-test=run-link]").ClickAsync();

        await page.Page.Locator("[data-test=run-name]", new PageLocatorOptions { HasText = "beta" }).WaitForAsync();
        Assert.EndsWith("/runs/" + seeded.RunIds["beta"], page.Page.Url, StringComparison.Ordinal);
        await page.Page.WaitForFunctionAsync("() => [...document.querySelectorAll('[data-test=metric-chart]')].every(c => c.querySelector('.main-svg'))");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task ColumnChooser_AddingAParam_ShowsItsColumnWithValues()
    {
        var seeded = await ExperimentSeed.RunsAsync(ui.Client, "columns");
        await using var page = await OpenRunsAsync(seeded);
        // The default shows three params (alphabetically batch_size, lr, optimizer), so seed is not shown yet.
        await page.Page.Locator("[data-test='sort-params.lr']").WaitForAsync();
        Assert.Equal(0, await page.Page.Locator("[data-test='sort-params.seed']").CountAsync());

        await page.Page.Locator("[data-test=column-chooser]").ClickAsync();
        await page.Page.Locator("[data-test='column-params.seed']").CheckAsync();

        await page.Page.Locator("[data-test='sort-params.seed']").WaitForAsync();
        var seeds = await page.Page.Locator(Rows + " [data-column='params.seed']").AllInnerTextsAsync();
        Assert.Equal(["40", "41", "42", "43"], seeds.Order(StringComparer.Ordinal));
        await page.ScreenshotAsync("experiment-runs-columns");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task BulkDelete_ThenRestoreInTheDeletedView_MovesRunsBetweenViews()
    {
        var seeded = await ExperimentSeed.RunsAsync(ui.Client, "bulk");
        await using var page = await OpenRunsAsync(seeded, UiFixture.Approver);

        await RowOf(page, "alpha").Locator("[data-test=select-run]").CheckAsync();
        await RowOf(page, "beta").Locator("[data-test=select-run]").CheckAsync();
        await page.Page.Locator("[data-test=compare]:enabled").WaitForAsync();
        await page.Page.Locator("[data-test=delete-runs]").ClickAsync();
        await WaitForRowCountAsync(page, 2);
        Assert.Equal("deleted", (await ui.Client.GetRunAsync(seeded.RunIds["alpha"])).Info.LifecycleStage);

        await page.Page.Locator("[data-test=view-deleted]").ClickAsync();
        await page.Page.Locator("[data-test=restore-runs]").WaitForAsync();
        await WaitForRowCountAsync(page, 2);
        Assert.Equal(["alpha", "beta"], (await page.Page.Locator(Rows + " [data-test=run-link]").AllInnerTextsAsync()).Order(StringComparer.Ordinal));
        await page.ScreenshotAsync("experiment-runs-deleted");

        await page.Page.Locator("[data-test=select-all]").CheckAsync();
        await page.Page.Locator("[data-test=restore-runs]").ClickAsync();
        await page.Page.Locator("[data-test=no-runs]").WaitForAsync();
        Assert.Equal("active", (await ui.Client.GetRunAsync(seeded.RunIds["beta"])).Info.LifecycleStage);

        await page.Page.Locator("[data-test=view-active]").ClickAsync();
        await WaitForRowCountAsync(page, 4);
        page.AssertNoErrors();
    }

    [Fact]
    public async Task Compare_WithTwoSelectedRuns_NavigatesToTheComparisonOfThoseRuns()
    {
        var seeded = await ExperimentSeed.RunsAsync(ui.Client, "compare");
        await using var page = await OpenRunsAsync(seeded);
        var compare = page.Page.Locator("[data-test=compare]");
        await RowOf(page, "gamma").Locator("[data-test=select-run]").CheckAsync();
        Assert.False(await compare.IsEnabledAsync());

        await RowOf(page, "delta").Locator("[data-test=select-run]").CheckAsync();
        await compare.ClickAsync();
        // Blazor navigates inside the document (history.pushState), so wait on the address, not on a load event.
        await page.Page.WaitForFunctionAsync("() => location.pathname.endsWith('/compare') && location.search.startsWith('?runs=')");
        var runs = Uri.UnescapeDataString(new Uri(page.Page.Url).Query["?runs=".Length..]).Split(',');
        Assert.Equal(new[] { seeded.RunIds["gamma"], seeded.RunIds["delta"] }.Order(), runs.Order());
        // No AssertNoErrors here: the comparison page belongs to its own tests; this one checks only the hand-over.
    }

    [Fact]
    public async Task UnknownExperiment_ShowsAnErrorInsteadOfFailing()
    {
        await using var page = await ui.OpenAsync("/experiments/987654321");
        var error = page.Page.Locator(".error-box");
        await error.WaitForAsync();
        Assert.Contains("987654321", await error.InnerTextAsync());
        Assert.Equal(0, await page.Page.Locator("[data-test=runs-table]").CountAsync());
        page.AssertNoErrors();
    }

    private async Task<UiPage> OpenRunsAsync(ExperimentSeed.Seeded seeded, string? user = null)
    {
        var page = await ui.OpenAsync($"/experiments/{seeded.ExperimentId}", user);
        await WaitForRowCountAsync(page, ExperimentSeed.Runs.Length);
        return page;
    }

    private static ILocator RowOf(UiPage page, string runName) =>
        page.Page.Locator(Rows, new PageLocatorOptions { Has = page.Page.Locator("[data-test=run-link]", new PageLocatorOptions { HasText = runName }) });

    private static Task WaitForRowCountAsync(UiPage page, int count) =>
        page.Page.WaitForFunctionAsync($"n => document.querySelectorAll('{Rows}').length === n", count);

    private static async Task<double[]> ColumnValuesAsync(UiPage page, string column)
    {
        var texts = await page.Page.Locator($"{Rows} [data-column='{column}']").AllInnerTextsAsync();
        return [.. texts.Select(t => double.Parse(t, CultureInfo.InvariantCulture))];
    }
}
