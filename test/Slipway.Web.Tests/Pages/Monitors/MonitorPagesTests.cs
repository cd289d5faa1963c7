using Microsoft.Playwright;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Pages.Monitors;

[Collection(UiCollection.Name)]
public sealed class MonitorPagesTests(UiFixture ui)
{
    // A flat line (a p-value of 1 in every run) has an empty bounding box, which Playwright counts as hidden.
    private static readonly LocatorWaitForOptions Attached = new() { State = WaitForSelectorState.Attached };

    [Fact]
    public async Task MonitorsList_SeededMonitor_ShowsEndpointModelLastReportDriftAndOpenAlerts()
    {
        var seed = await MonitorSeed.GetAsync(ui);

        await using var page = await ui.OpenAsync("/monitors");
        var row = page.Page.Locator($"[data-test=monitor-row][data-name='{seed.Monitor}']");
        await row.WaitForAsync();

        Assert.Equal($"endpoints/{seed.Endpoint}", await row.Locator("[data-test=monitor-endpoint]").GetAttributeAsync("href"));
        // The model column names the model reference and the version it resolved to, not a bare version number.
        Assert.Matches(@"^models:/cancer\S*/1 → v1$", (await row.Locator("[data-test=monitor-models] code").InnerTextAsync()).Trim());
        Assert.Contains("on demand", await row.InnerTextAsync());
        Assert.NotEqual("never", (await row.Locator("[data-test=last-report]").InnerTextAsync()).Trim());
        Assert.Equal("DRIFT", await row.Locator("[data-test=drift-status] .badge").GetAttributeAsync("data-status"));
        // Two feature alerts (one per shifted feature) and the drift-share alert are firing.
        Assert.Equal("3", (await row.Locator("[data-test=open-alert-count]").InnerTextAsync()).Trim());
        await page.ScreenshotAsync("monitors-list");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task MonitorPage_ReportHistory_DrawsDriftScoreLinePerFeatureAndShowsLatestReport()
    {
        var seed = await MonitorSeed.GetAsync(ui);

        await using var page = await ui.OpenAsync($"/monitors/{seed.Monitor}");
        var traces = page.Page.Locator("[data-test=drift-chart] .scatterlayer .trace");
        await traces.Nth(MonitorSeed.MonitoredFeatures - 1).WaitForAsync(Attached);
        Assert.Equal(MonitorSeed.MonitoredFeatures, await traces.CountAsync());
        var legend = await page.Page.Locator("[data-test=drift-chart] .legend").TextContentAsync() ?? "";
        Assert.All(seed.Features, feature => Assert.Contains(feature, legend));

        // The latest run's report is shown inline without asking.
        var report = page.Page.Locator($"[data-test=report][data-run='{seed.Runs[^1].Id}']");
        await report.WaitForAsync();
        Assert.Equal("true", await report.Locator("[data-test=dataset-verdict]").GetAttributeAsync("data-drift"));
        await page.Page.Locator("[data-test=performance-note]").WaitForAsync();
        await page.ScreenshotAsync("monitor-page");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task OpenDriftReport_PastRunFromHistory_ShowsThatReportInline()
    {
        var seed = await MonitorSeed.GetAsync(ui);
        await using var page = await ui.OpenAsync($"/monitors/{seed.Monitor}");
        await page.Page.Locator("[data-test=run-row]").Nth(seed.Runs.Count - 1).WaitForAsync();

        // The first run compared the reference with itself: nothing drifted.
        await page.Page.Locator($"[data-test=run-row][data-run='{seed.Runs[0].Id}'] [data-test=report-link]").ClickAsync();
        var first = page.Page.Locator($"[data-test=report][data-run='{seed.Runs[0].Id}']");
        await first.WaitForAsync();
        Assert.Equal("false", await first.Locator("[data-test=dataset-verdict]").GetAttributeAsync("data-drift"));
        Assert.Equal(0, await first.Locator("[data-test=drift-row][data-drifted=true]").CountAsync());
        Assert.EndsWith($"?run={seed.Runs[0].Id}", page.Page.Url);
        await WaitForHistogramAsync(page, seed.Features[0], sameShares: true);

        // The last run: exactly the shifted features drifted, with their histograms one click away.
        await page.Page.Locator($"[data-test=run-row][data-run='{seed.Runs[^1].Id}'] [data-test=report-link]").ClickAsync();
        var last = page.Page.Locator($"[data-test=report][data-run='{seed.Runs[^1].Id}']");
        await last.WaitForAsync();
        var drifted = await last.Locator("[data-test=feature-drift] [data-test=drift-row][data-drifted=true]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.column)");
        Assert.Equal(MonitorSeed.ShiftedFeatures.Select(i => seed.Features[i]).Order(), drifted.Order());
        Assert.Equal(MonitorSeed.MonitoredFeatures, await last.Locator("[data-test=feature-drift] [data-test=drift-row]").CountAsync());
        await last.Locator($"[data-test=histogram][data-column='{seed.Features[0]}'] .barlayer .trace").Nth(1).WaitForAsync(Attached);
        // The same chart now draws this run's bars: the shifted feature's current shares differ from the reference's.
        await WaitForHistogramAsync(page, seed.Features[0], sameShares: false);
        await last.Locator("[data-test=quality]").WaitForAsync();
        await page.ScreenshotAsync("monitor-report");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task OpenDriftReport_UnknownRunInLink_ShowsInlineErrorAndKeepsTheRestOfThePage()
    {
        var seed = await MonitorSeed.GetAsync(ui);
        await using var page = await ui.OpenAsync($"/monitors/{seed.Monitor}?run=0123456789abcdef");

        var error = page.Page.Locator(".error-box", new PageLocatorOptions { HasText = "This report cannot be shown" });
        await error.WaitForAsync();
        Assert.Contains("has no run '0123456789abcdef'", await error.InnerTextAsync());
        Assert.Equal(seed.Runs.Count, await page.Page.Locator("[data-test=run-row]").CountAsync());
        Assert.Equal(0, await page.Page.Locator("[data-test=report]").CountAsync());
        page.AssertNoErrors();
    }

    /// <summary>Waits until the histogram of <paramref name="column"/> plots reference and current bars that are (or are not) the same.</summary>
    private static Task WaitForHistogramAsync(UiPage page, string column, bool sameShares) =>
        page.Page.WaitForFunctionAsync(
            """
            ([column, same]) => {
                const chart = [...document.querySelectorAll('[data-test=histogram]')].find(h => h.dataset.column === column)?.querySelector('.js-plotly-plot');
                if (!chart || !chart.data || chart.data.length !== 2) return false;
                return (JSON.stringify(chart.data[0].y) === JSON.stringify(chart.data[1].y)) === same;
            }
            """,
            new object[] { column, sameShares });

    [Fact]
    public async Task AlertHistory_DriftingData_ShowsFiringFeatureAlerts()
    {
        var seed = await MonitorSeed.GetAsync(ui);
        await using var page = await ui.OpenAsync($"/monitors/{seed.Monitor}");
        var featureAlerts = page.Page.Locator("[data-test=alert][data-rule=features][data-status=firing]");
        await featureAlerts.First.WaitForAsync();

        Assert.Equal(MonitorSeed.ShiftedFeatures.Length, await featureAlerts.CountAsync());
        var text = await page.Page.Locator("[data-test=alerts]").InnerTextAsync();
        Assert.All(MonitorSeed.ShiftedFeatures, i => Assert.Contains(seed.Features[i], text));
        Assert.Equal(1, await page.Page.Locator("[data-test=alert][data-rule=share][data-status=firing]").CountAsync());
        await page.Page.Locator("[data-test=alerts]").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync("monitor-alerts");
        page.AssertNoErrors();
    }
}
