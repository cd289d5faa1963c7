using System.Globalization;
using Microsoft.Playwright;
using Slipway.Client;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Pages.Experiments;

/// <summary>A run too big to draw or list whole, and the runs page reused for another experiment.</summary>
[Collection(UiCollection.Name)]
public sealed class LargeRunAndSwitchTests(UiFixture ui)
{
    private const string Charts = "[data-test=metric-charts] [data-test=metric-chart]";
    private const int MetricCount = 60;
    private const int FileCount = 520;

    [Fact]
    public async Task RunPage_ManyMetricsAndFiles_ShowsTheFirstChartsAndEntriesThenMoreOnRequest()
    {
        var experimentId = await ui.Client.CreateExperimentAsync(UiFixture.Unique("large-run"));
        var run = await ui.Client.CreateRunAsync(experimentId, "wide");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var metrics = Enumerable.Range(0, MetricCount)
            .SelectMany(i => Enumerable.Range(0, 3).Select(step => new Metric($"m{i:000}", i + step / 10.0, now + step * 1_000L, step)));
        await ui.Client.LogBatchAsync(run.Info.RunId, metrics.ToList());
        await UploadManyFilesAsync(run.Info.RunId);

        await using var page = await ui.OpenAsync($"/runs/{run.Info.RunId}");
        await WaitForDrawnChartsAsync(page, 50);
        Assert.Equal("50 of 60 charts", await page.Page.Locator("[data-test=metric-charts-shown]").InnerTextAsync());
        Assert.Equal(50, await page.Page.Locator(Charts).CountAsync());
        await page.Page.Locator("[data-test=metric-show-more]").ClickAsync();
        await WaitForDrawnChartsAsync(page, MetricCount);

        var filter = page.Page.Locator("[data-test=metric-filter]");
        await filter.FillAsync("m05");
        await filter.PressAsync("Enter");
        await page.Page.Locator("[data-test=metric-charts-shown]", new PageLocatorOptions { HasText = "10 of 10 charts" }).WaitForAsync();
        Assert.Equal(Enumerable.Range(50, 10).Select(i => $"m{i:000}"),
            await page.Page.Locator(Charts).EvaluateAllAsync<string[]>("charts => charts.map(c => c.dataset.key)"));

        await page.Page.Locator("[data-test=artifact-item][data-path=many]").ClickAsync();
        var files = page.Page.Locator("[data-test=artifact-item][data-path^='many/']");
        await page.Page.Locator("[data-test=artifact-more]", new PageLocatorOptions { HasText = "20 more" }).WaitForAsync();
        Assert.Equal(500, await files.CountAsync());
        await page.Page.Locator("[data-test=artifact-show-more]").ClickAsync();
        await page.Page.WaitForFunctionAsync($"() => document.querySelectorAll(\"[data-test=artifact-item][data-path^='many/']\").length === {FileCount}");
        Assert.Equal(0, await page.Page.Locator("[data-test=artifact-more]").CountAsync());
        await page.ScreenshotAsync("run-large");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task RunsPage_OpeningAnotherExperiment_StartsFromItsDefaultsNotThePreviousView()
    {
        var first = await ExperimentSeed.RunsAsync(ui.Client, "switch-a");
        var second = await ExperimentSeed.RunsAsync(ui.Client, "switch-b");
        await using var page = await ui.OpenAsync($"/experiments/{first.ExperimentId}");
        await page.Page.Locator("[data-test=runs-table]").WaitForAsync();
        await page.Page.Locator("[data-test=view-deleted]").ClickAsync();
        await page.Page.Locator("[data-test=no-runs]").WaitForAsync();
        await page.Page.Locator("[data-test=runs-filter]").FillAsync("params.lr = '0.01'");

        // Same component, new parameter: Blazor's client-side navigation reuses the page.
        await page.Page.EvaluateAsync("id => Blazor.navigateTo('experiments/' + id)", second.ExperimentId);
        await page.Page.Locator("[data-test=experiment-name]", new PageLocatorOptions { HasText = second.ExperimentName }).WaitForAsync();
        await page.Page.WaitForFunctionAsync("() => document.querySelectorAll('[data-test=runs-table] [data-test=run-row]').length === 4");
        var shown = await page.Page.Locator("[data-test=run-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.runId)");
        Assert.Equal(second.RunIds.Values.Order(StringComparer.Ordinal), shown.Order(StringComparer.Ordinal));
        Assert.Equal("", await page.Page.Locator("[data-test=runs-filter]").InputValueAsync());
        Assert.Equal("active", await page.Page.Locator("[data-test=view-active]").GetAttributeAsync("class"));
        page.AssertNoErrors();
    }

    /// <summary>Waits until exactly <paramref name="count"/> chart panels exist and plotly has drawn each.</summary>
    private static Task WaitForDrawnChartsAsync(UiPage page, int count) => page.Page.WaitForFunctionAsync(
        $"() => {{ const c = [...document.querySelectorAll('{Charts}')]; return c.length === {count} && c.every(x => x.querySelector('.main-svg')); }}");

    private async Task UploadManyFilesAsync(string runId)
    {
        var folder = Directory.CreateTempSubdirectory("slipway-ui-many-");
        try
        {
            var many = Directory.CreateDirectory(Path.Combine(folder.FullName, "many"));
            for (var i = 0; i < FileCount; i++)
                await File.WriteAllTextAsync(Path.Combine(many.FullName, $"part-{i.ToString("0000", CultureInfo.InvariantCulture)}.txt"), "x");
            await ui.Client.UploadArtifactsAsync(runId, folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
