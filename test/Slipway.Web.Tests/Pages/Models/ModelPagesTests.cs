using Microsoft.Playwright;
using Slipway.Client;
using Slipway.Web.Tests.Browser;
using Slipway.Web.Tests.Pages.Endpoints;

namespace Slipway.Web.Tests.Pages.Models;

/// <summary>The model list and a model's versions, card and lineage tabs.</summary>
[Collection(UiCollection.Name)]
public sealed class ModelPagesTests(UiFixture ui)
{
    [Fact]
    public async Task ModelList_SearchByName_ShowsOnlyMatchingModelsWithAliasesAndLinks()
    {
        var scenario = await ModelScenario.CreateAsync(ui, "churn-search");
        var other = UiFixture.Unique("fraud-search");
        await ui.Client.CreateRegisteredModelAsync(other);

        await using var page = await ui.OpenAsync("/models");
        await page.Page.Locator("[data-test=model-search-input]").FillAsync(scenario.Name);
        await page.Page.Locator("[data-test=model-search] button").ClickAsync();
        // Other tests' models are listed until the search result replaces the first page.
        await page.Page.WaitForFunctionAsync("() => document.querySelectorAll('[data-test=models-table] tbody tr').length === 1");
        var row = page.Page.Locator($"[data-test=models-table] tr[data-model='{scenario.Name}']");

        Assert.Equal(1, await row.CountAsync());
        Assert.Equal($"models/{scenario.Name}", await row.Locator("a").GetAttributeAsync("href"));
        Assert.Contains("@candidate → v1", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("team=retention", await row.InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync("models-list");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task Versions_ModelWithTwoVersions_ShowsAliasesStatusAndSourceRuns()
    {
        var scenario = await ModelScenario.CreateAsync(ui, "churn-versions");

        await using var page = await ui.OpenAsync($"/models/{scenario.Name}");
        var table = page.Page.Locator("[data-test=versions-table]");
        await table.WaitForAsync();

        var rows = table.Locator("tbody tr");
        Assert.Equal(["2", "1"], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.version)"));
        var first = table.Locator("tr[data-version='1']");
        Assert.Equal(1, await first.Locator("[data-test=alias-badge][data-alias=candidate]").CountAsync());
        Assert.Equal(0, await table.Locator("tr[data-version='2'] [data-test=alias-badge]").CountAsync());
        Assert.Equal($"runs/{scenario.FirstRunId}", await first.Locator("[data-test=source-run]").GetAttributeAsync("href"));
        Assert.Contains("READY", await first.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("baseline gradient boosting", await first.InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync("model-versions");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task ModelCard_VersionWithCard_ShowsItsSectionsAndMetrics()
    {
        var scenario = await ModelScenario.CreateAsync(ui, "churn-card");

        await using var page = await ui.OpenAsync($"/models/{scenario.Name}?tab=card");
        var card = page.Page.Locator("[data-test=model-card]");
        await card.WaitForAsync();

        var text = await card.InnerTextAsync();
        Assert.Contains("Ranking customers for retention offers.", text, StringComparison.Ordinal);
        Assert.Contains("Not validated for business accounts.", text, StringComparison.Ordinal);
        Assert.Contains("grace, ada", text, StringComparison.Ordinal);
        Assert.Contains("0.95", await card.Locator("table.card-metrics").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync("model-card");

        await page.Page.Locator("[data-test=card-version]").SelectOptionAsync("1");
        await page.Page.Locator("[data-test=no-model-card]").WaitForAsync();
        page.AssertNoErrors();
    }

    [Fact]
    public async Task Lineage_TwoVersions_DrawsRunsDatasetAndVersionsWithLinks()
    {
        var scenario = await ModelScenario.CreateAsync(ui, "churn-lineage");

        await using var page = await ui.OpenAsync($"/models/{scenario.Name}?tab=lineage");
        var graph = page.Page.Locator("[data-test=lineage-graph]");
        await graph.WaitForAsync();

        Assert.Equal(2, await graph.Locator("g[data-node-type=model_version]").CountAsync());
        var run = graph.Locator($"g[data-node-id='run:{scenario.SecondRunId}']");
        Assert.Equal($"runs/{scenario.SecondRunId}", await run.Locator("a").GetAttributeAsync("href"));
        Assert.Contains(scenario.SecondRunName[..10], await run.TextContentAsync() ?? "", StringComparison.Ordinal);
        // Both runs read the same dataset, which appears once with an edge to each run.
        var dataset = graph.Locator("g[data-node-type=dataset]");
        Assert.Equal(1, await dataset.CountAsync());
        Assert.Contains(scenario.DatasetName[..10], await dataset.TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.Equal(2, await graph.Locator("path.edge-input_of").CountAsync());
        Assert.Equal(2, await graph.Locator("path.edge-produced").CountAsync());
        await page.ScreenshotAsync("model-lineage");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task Lineage_VersionServedByAnEndpoint_DrawsTheEndpointDownstreamAndLinksToIt()
    {
        var seed = new ServingSeed(ui);
        var model = UiFixture.Unique("served");
        var endpoint = UiFixture.Unique("lineage");
        var run = await seed.RegisterModelAsync(model, versions: 1);
        await seed.CreateEndpointAsync(new EndpointSpec { Name = endpoint, Routes = [new EndpointRoute("main", $"models:/{model}/1", 100)] });
        try
        {
            await using var page = await ui.OpenAsync($"/models/{model}?tab=lineage");
            var graph = page.Page.Locator("[data-test=lineage-graph]");
            await graph.WaitForAsync();

            var served = graph.Locator($"g[data-node-id='endpoint:{endpoint}']");
            Assert.Equal($"endpoints/{endpoint}", await served.Locator("a").GetAttributeAsync("href"));
            Assert.Equal(1, await graph.Locator("path.edge-serves").CountAsync());
            Assert.Equal(1, await graph.Locator($"g[data-node-id='run:{run.Info.RunId}']").CountAsync());
            var versionX = await graph.Locator("g[data-node-type=model_version]").GetAttributeAsync("transform");
            var endpointX = await served.GetAttributeAsync("transform");
            Assert.True(TranslateX(versionX) < TranslateX(endpointX), $"endpoint at {endpointX} is not right of the version at {versionX}");
            await page.ScreenshotAsync("model-lineage-served");
            page.AssertNoErrors();
        }
        finally
        {
            await ui.Client.DeleteEndpointAsync(endpoint);
        }
    }

    private static double TranslateX(string? transform)
    {
        Assert.NotNull(transform);
        return double.Parse(transform["translate(".Length..transform.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }
}
