using Microsoft.Playwright;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Pages.Experiments;

[Collection(UiCollection.Name)]
public sealed class ArtifactBrowserTests(UiFixture ui)
{
    [Fact]
    public async Task ArtifactBrowser_PreviewsTextJsonCsvImageAndModel()
    {
        var seeded = await ExperimentSeed.RunsAsync(ui.Client, "artifacts");
        var runId = seeded.RunIds["delta"];
        await ExperimentSeed.EnrichAsync(ui.Client, runId);
        await using var page = await ui.OpenAsync($"/runs/{runId}");
        var preview = page.Page.Locator("[data-test=artifact-preview]");

        await Item(page, "notes.txt").ClickAsync();
        Assert.Contains("Best epoch: 12", await preview.Locator("[data-test=artifact-text]").InnerTextAsync());
        Assert.Contains("api/2.0/mlflow-artifacts/artifacts/", await preview.Locator("[data-test=artifact-download]").GetAttributeAsync("href"));

        await Item(page, "config.json").ClickAsync();
        var json = await preview.Locator("[data-test=artifact-json]").InnerTextAsync();
        Assert.Contains("\n  \"optimizer\": {\n    \"name\": \"adam\"", json);

        await Item(page, "data").ClickAsync();
        await Item(page, "data/predictions.csv").ClickAsync();
        await preview.Locator("[data-test=artifact-table]").WaitForAsync();
        Assert.Equal(100, await preview.Locator("[data-test=artifact-table-row]").CountAsync());
        Assert.Equal(["id", "label", "score"], await preview.Locator("[data-test=artifact-table] th").AllInnerTextsAsync());
        Assert.Contains("versi,color", await preview.Locator("[data-test=artifact-table-row]").First.InnerTextAsync());

        await Item(page, "plots").ClickAsync();
        await Item(page, "plots/curve.png").ClickAsync();
        await preview.Locator("[data-test=artifact-image]").WaitForAsync();
        // The browser fetched and decoded the PNG through the download route.
        await page.Page.WaitForFunctionAsync("() => { const i = document.querySelector('[data-test=artifact-image]'); return i && i.complete && i.naturalWidth === 48; }");
        await page.ScreenshotAsync("run-artifacts-image");

        await Item(page, "model").ClickAsync();
        var model = preview.Locator("[data-test=model-summary]");
        await model.Locator("[data-test=model-flavors]").WaitForAsync();
        var flavors = await model.Locator("[data-test=model-flavors]").InnerTextAsync();
        Assert.Contains("onnx", flavors);
        Assert.Contains("python_function", flavors);
        Assert.Contains("features", await model.Locator("[data-test=model-inputs]").InnerTextAsync());
        Assert.Contains("float32 [-1, 3]", await model.Locator("[data-test=model-outputs]").InnerTextAsync());
        Assert.Equal($"runs:/{runId}/model", await model.Locator("[data-test=model-source]").InnerTextAsync());
        await page.ScreenshotAsync("run-artifacts-model");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task RegisterModel_FromTheModelPreview_CreatesAVersionFromTheRun()
    {
        var seeded = await ExperimentSeed.RunsAsync(ui.Client, "register");
        var runId = seeded.RunIds["delta"];
        await ExperimentSeed.EnrichAsync(ui.Client, runId);
        var modelName = UiFixture.Unique("registered");
        await using var page = await ui.OpenAsync($"/runs/{runId}");
        await Item(page, "model").ClickAsync();
        var form = page.Page.Locator("[data-test=register-form]");

        await form.Locator("[data-test=register-model]").ClickAsync();
        Assert.Contains("name", await page.Page.Locator("[data-test=register-error]").InnerTextAsync());

        await form.Locator("[data-test=register-name]").FillAsync(modelName);
        await form.Locator("[data-test=register-model]").ClickAsync();
        var done = page.Page.Locator("[data-test=register-done]");
        await done.WaitForAsync();
        Assert.Contains($"{modelName} version 1", await done.InnerTextAsync());

        var version = await ui.Client.GetModelVersionAsync(modelName, "1");
        Assert.Equal($"runs:/{runId}/model", version.Source);
        Assert.Equal(runId, version.RunId);
        page.AssertNoErrors();
    }

    private static ILocator Item(UiPage page, string path) =>
        page.Page.Locator($"[data-test=artifact-item][data-path='{path}']");
}
