using Microsoft.Playwright;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Pages.Experiments;

[Collection(UiCollection.Name)]
public sealed class RunPageTests(UiFixture ui)
{
    private const string FirstPlot = "document.querySelector(\"[data-test=metric-chart][data-key='loss'] .js-plotly-plot\")";

    [Fact]
    public async Task RunPage_ShowsParamsTagsDatasetsAndOneDrawnChartPerMetric()
    {
        var seeded = await ExperimentSeed.RunsAsync(ui.Client, "runpage");
        var runId = seeded.RunIds["alpha"];
        await ExperimentSeed.EnrichAsync(ui.Client, runId);

        await using var page = await ui.OpenAsync($"/runs/{runId}");
        await page.Page.Locator("[data-test=run-name]", new PageLocatorOptions { HasText = "alpha" }).WaitForAsync();
        // Four metrics (rmse, accuracy, loss, lr_schedule): every chart has been drawn by plotly.
        await page.Page.WaitForFunctionAsync(
            "() => document.querySelectorAll('[data-test=metric-charts] [data-test=metric-chart] .main-svg').length >= 4 && " +
            "[...document.querySelectorAll('[data-test=metric-charts] [data-test=metric-chart]')].every(c => c.querySelector('.main-svg'))");
        Assert.Equal(4, await page.Page.Locator("[data-test=metric-charts] [data-test=metric-chart]").CountAsync());

        Assert.Contains("0.01", await page.Page.Locator("[data-test=run-params] tr", new PageLocatorOptions { HasText = "lr" }).First.InnerTextAsync());
        Assert.Contains("vision", await page.Page.Locator("[data-test=run-tags]").InnerTextAsync());
        Assert.Equal("train.py", await page.Page.Locator("[data-test=run-source]").InnerTextAsync());
        Assert.Equal(seeded.ExperimentName, await page.Page.Locator("[data-test=run-header] [data-test=experiment-link]").InnerTextAsync());
        var dataset = await page.Page.Locator("[data-test=dataset-row]").InnerTextAsync();
        Assert.Contains("iris-train", dataset);
        Assert.Contains("training", dataset);
        Assert.Contains("a1b2c3d4", dataset);

        // System tags stay folded until asked for.
        Assert.Equal(0, await page.Page.Locator("[data-test=system-tag]").CountAsync());
        await page.Page.Locator("[data-test=show-system-tags]").CheckAsync();
        await page.Page.Locator("[data-test=system-tag]", new PageLocatorOptions { HasText = "mlflow.runName" }).WaitForAsync();

        // The long history is sampled on the server, and says so.
        var sampled = page.Page.Locator("[data-test=metric-chart][data-key=lr_schedule] [data-test=sampled]");
        var sampledText = await sampled.InnerTextAsync();
        Assert.EndsWith(" of 1,500 points", sampledText, StringComparison.Ordinal);
        Assert.InRange(int.Parse(sampledText.Split(' ')[0].Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture), 4, 1_000);
        await page.ScreenshotAsync("run-page");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task Charts_XAxisSwitch_RedrawsOverWallAndRelativeTime()
    {
        var seeded = await ExperimentSeed.RunsAsync(ui.Client, "runaxis");
        await using var page = await ui.OpenAsync($"/runs/{seeded.RunIds["gamma"]}");
        await page.Page.WaitForFunctionAsync($"() => {FirstPlot}?._fullLayout?.xaxis?.type === 'linear'");

        await page.Page.Locator("[data-test=x-axis-wall]").ClickAsync();
        await page.Page.WaitForFunctionAsync($"() => {FirstPlot}?._fullLayout?.xaxis?.type === 'date'");
        await page.Page.Locator("[data-test=x-axis-relative]").ClickAsync();
        await page.Page.WaitForFunctionAsync(
            $"() => {FirstPlot}?._fullLayout?.xaxis?.type === 'linear' && {FirstPlot}._fullLayout.xaxis.title.text.startsWith('seconds')");
        await page.ScreenshotAsync("run-page-relative-time");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task Charts_LogScaleToggle_RedrawsWithALogAxis()
    {
        var seeded = await ExperimentSeed.RunsAsync(ui.Client, "runlog");
        await using var page = await ui.OpenAsync($"/runs/{seeded.RunIds["gamma"]}");
        await page.Page.WaitForFunctionAsync($"() => {FirstPlot}?._fullLayout?.yaxis?.type === 'linear'");

        await page.Page.Locator("[data-test=metric-chart][data-key=loss] [data-test=log-scale]").CheckAsync();
        await page.Page.WaitForFunctionAsync($"() => {FirstPlot}._fullLayout.yaxis.type === 'log'");
        await page.ScreenshotAsync("run-page-log-scale");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task UnknownRun_ShowsAnErrorInsteadOfFailing()
    {
        await using var page = await ui.OpenAsync("/runs/0123456789abcdef0123456789abcdef");
        var error = page.Page.Locator(".error-box");
        await error.WaitForAsync();
        Assert.Contains("not found", await error.InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        page.AssertNoErrors();
    }
}
