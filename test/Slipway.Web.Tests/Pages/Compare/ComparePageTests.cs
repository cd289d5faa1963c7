using Microsoft.Playwright;
using Slipway.Client;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Pages.Compare;

/// <summary>The compare page: overlaid metric charts, parallel coordinates and the params/metrics diff.</summary>
[Collection(UiCollection.Name)]
public sealed class ComparePageTests(UiFixture ui)
{
    [Fact]
    public async Task Compare_TwoRunsAndAnUnknownId_DrawsChartsAndParcoordsAndMarksDifferingParams()
    {
        var experimentId = await ui.Client.CreateExperimentAsync(UiFixture.Unique("compare"));
        var adam = await TrainAsync(experimentId, "adam-lr-0.01", learningRate: "0.01", optimizer: "adam", finalLoss: 0.21);
        var sgd = await TrainAsync(experimentId, "sgd-lr-0.1", learningRate: "0.1", optimizer: "sgd", finalLoss: 0.34);

        await using var page = await ui.OpenAsync($"/compare?runs={adam},{sgd},no-such-run");
        var charts = page.Page.Locator("[data-test=compare-charts] [data-test=line-chart]");
        await page.Page.Locator("[data-test=compare-charts] [data-test=line-chart] .main-svg").First.WaitForAsync();
        await page.Page.WaitForFunctionAsync("() => document.querySelectorAll('[data-test=compare-charts] [data-test=line-chart]').length === 2"
            + " && [...document.querySelectorAll('[data-test=compare-charts] [data-test=line-chart]')].every(c => c.querySelector('.main-svg'))");
        await page.Page.Locator("[data-test=parallel-coordinates] .main-svg").First.WaitForAsync();

        Assert.Equal(["accuracy", "loss"], await charts.EvaluateAllAsync<string[]>("charts => charts.map(c => c.dataset.title)"));
        // Two runs are two lines in each chart.
        Assert.Equal(2, await charts.First.Locator(".scatterlayer .trace").CountAsync());
        // Each run's line has its header colour (RunColors: #1f77b4, #ff7f0e).
        Assert.Equal(["rgb(31, 119, 180)", "rgb(255, 127, 14)"],
            await charts.First.Locator(".scatterlayer .trace .js-line").EvaluateAllAsync<string[]>("lines => lines.map(l => l.style.stroke)"));
        // epochs is the same in both runs, so it gets no axis: learning_rate, optimizer and the colouring metric do.
        Assert.Equal(["learning_rate", "optimizer", "accuracy"],
            await page.Page.Locator("[data-test=parallel-coordinates] .axis-title").EvaluateAllAsync<string[]>("titles => titles.map(t => t.textContent)"));
        Assert.Equal([$"runs/{adam}", $"runs/{sgd}"],
            await page.Page.Locator("[data-test=compare-runs] a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"));
        Assert.Contains("no-such-run", await page.Page.Locator("[data-test=compare-unknown]").InnerTextAsync(), StringComparison.Ordinal);

        var diff = page.Page.Locator("[data-test=diff-table]");
        Assert.Equal("changed", await diff.Locator("tr[data-key=learning_rate]").GetAttributeAsync("class"));
        Assert.Equal("changed", await diff.Locator("tr[data-key=optimizer]").GetAttributeAsync("class"));
        Assert.Null(await diff.Locator("tr[data-key=epochs]").GetAttributeAsync("class"));
        Assert.Equal("changed", await diff.Locator("tr[data-section=metric][data-key=loss]").GetAttributeAsync("class"));
        await page.ScreenshotAsync("compare-runs");

        await diff.Locator("[data-test=only-differences]").CheckAsync();
        await diff.Locator("tr[data-key=epochs]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        Assert.Equal(1, await diff.Locator("tr[data-key=learning_rate]").CountAsync());

        await page.Page.Locator("[data-test=parcoords-metric]").SelectOptionAsync("loss");
        await page.Page.WaitForFunctionAsync("() => [...document.querySelectorAll('[data-test=parallel-coordinates] .axis-title')].map(t => t.textContent).join() === 'learning_rate,optimizer,loss'");

        await page.Page.Locator("[data-test=compare-x-axis]").SelectOptionAsync("Wall");
        await page.Page.WaitForFunctionAsync("() => [...document.querySelectorAll('[data-test=compare-charts] .xtitle')].every(t => t.textContent === 'time (UTC)')");
        await charts.First.Locator(".main-svg").First.WaitForAsync();
        page.AssertNoErrors();
    }

    [Fact]
    public async Task Compare_ReachedFromARunPage_SwapsToTheFullPlotlyBundleAndDrawsParcoords()
    {
        var experimentId = await ui.Client.CreateExperimentAsync(UiFixture.Unique("compare-nav"));
        var adam = await TrainAsync(experimentId, "adam", learningRate: "0.01", optimizer: "adam", finalLoss: 0.21);
        var sgd = await TrainAsync(experimentId, "sgd", learningRate: "0.1", optimizer: "sgd", finalLoss: 0.34);
        // The run page draws its charts with the basic bundle, which has no parallel-coordinates trace.
        await using var page = await ui.OpenAsync($"/runs/{adam}");
        await page.Page.Locator("[data-test=metric-charts] .main-svg").First.WaitForAsync();
        Assert.Contains("basic", await page.Page.Locator("script#plotly-import").GetAttributeAsync("src"), StringComparison.Ordinal);

        await page.Page.EvaluateAsync($"() => Blazor.navigateTo('compare?runs={adam},{sgd}')");

        await page.Page.Locator("[data-test=parallel-coordinates] .main-svg").First.WaitForAsync();
        Assert.DoesNotContain("basic", await page.Page.Locator("script#plotly-import").GetAttributeAsync("src"), StringComparison.Ordinal);
        Assert.Equal(["learning_rate", "optimizer", "accuracy"],
            await page.Page.Locator("[data-test=parallel-coordinates] .axis-title").EvaluateAllAsync<string[]>("titles => titles.map(t => t.textContent)"));
        page.AssertNoErrors();
    }

    [Fact]
    public async Task Compare_OneRun_AsksForAtLeastTwo()
    {
        var experimentId = await ui.Client.CreateExperimentAsync(UiFixture.Unique("compare-one"));
        var only = await TrainAsync(experimentId, "only", learningRate: "0.01", optimizer: "adam", finalLoss: 0.2);

        await using var page = await ui.OpenAsync($"/compare?runs={only}");

        await page.Page.Locator("[data-test=compare-empty]").WaitForAsync();
        Assert.Equal(0, await page.Page.Locator("[data-test=compare-charts]").CountAsync());
        page.AssertNoErrors();
    }

    /// <summary>A run with a 30-step loss curve falling to <paramref name="finalLoss"/>, an accuracy curve, and params.</summary>
    private async Task<string> TrainAsync(string experimentId, string name, string learningRate, string optimizer, double finalLoss)
    {
        var run = await ui.Client.CreateRunAsync(experimentId, name);
        var start = run.Info.StartTime;
        var metrics = new List<Metric>();
        for (var step = 0; step < 30; step++)
        {
            var progress = step / 29.0;
            metrics.Add(new Metric("loss", 1.2 - (1.2 - finalLoss) * Math.Sqrt(progress), start + step * 2000, step));
            metrics.Add(new Metric("accuracy", 0.5 + 0.45 * progress * (1 - finalLoss), start + step * 2000, step));
        }
        await ui.Client.LogBatchAsync(run.Info.RunId, metrics,
            [new Param("learning_rate", learningRate), new Param("optimizer", optimizer), new Param("epochs", "30")]);
        await ui.Client.SetTerminatedAsync(run.Info.RunId);
        return run.Info.RunId;
    }
}
