using Microsoft.Playwright;
using Slipway.Client;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Pages.Endpoints;

[Collection(UiCollection.Name)]
public sealed class EndpointPagesTests(UiFixture ui)
{
    private readonly ServingSeed _seed = new(ui);

    [Fact]
    public async Task EndpointsList_TwoRouteEndpoint_ShowsRoutesVersionsSplitAndState()
    {
        var (model, endpoint) = await CreateTwoRouteEndpointAsync("list");

        await using var page = await ui.OpenAsync("/endpoints");
        var row = page.Page.Locator($"[data-test=endpoint-row][data-name='{endpoint}']");
        await row.WaitForAsync();

        Assert.Equal($"endpoints/{endpoint}", await row.Locator("a").First.GetAttributeAsync("href"));
        Assert.Equal("READY", await row.Locator(".badge").First.GetAttributeAsync("data-status"));
        Assert.Contains($"models:/{model}/1", await row.Locator("[data-test=route][data-route=blue]").InnerTextAsync());
        Assert.Contains("version 2", await row.Locator("[data-test=route][data-route=green]").InnerTextAsync());
        Assert.Contains("blue 50%", await row.Locator("[data-test=split-bar]").InnerTextAsync());
        await page.ScreenshotAsync("endpoints-list");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task EndpointPage_WhileTrafficFlows_ShowsResolvedVersionsAndLiveRequestsPerRoute()
    {
        var (_, endpoint) = await CreateTwoRouteEndpointAsync("live", shadowVersion: 2);
        var (_, rows) = ServingSeed.ReadReference();

        await using var page = await ui.OpenAsync($"/endpoints/{endpoint}");
        await page.Page.Locator("[data-test=live-blue]").WaitForAsync();
        Assert.Equal("1", (await page.Page.Locator("[data-test=route-row][data-route=blue] [data-test=serving-version]").InnerTextAsync()).Trim());
        Assert.Equal("2", (await page.Page.Locator("[data-test=route-row][data-route=green] [data-test=serving-version]").InnerTextAsync()).Trim());

        // Traffic keeps flowing until both routes show a rate above zero and no errors in a window between two polls,
        // and the shadow, which runs the same model file as the primaries, has finished copies that all agreed.
        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                await _seed.InferAsync(endpoint, rows.Take(42).ToList(), perRequest: 3, stop.Token);
        });
        try
        {
            await page.Page.WaitForFunctionAsync(
                """
                () => ['blue', 'green'].every(r => parseFloat(document.querySelector(`[data-test=live-${r}] [data-test=rps]`)?.textContent) > 0
                        && document.querySelector(`[data-test=live-${r}] [data-test=error-rate]`)?.textContent.trim() === '0%')
                    && /disagreement 0%/.test(document.querySelector('[data-test=live-shadow]')?.textContent ?? '')
                """,
                null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await traffic;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped by the test; any other failure of the traffic (a refused request) fails it.
            }
        }

        var total = await page.Page.Locator("[data-test=live-blue] [data-test=total]").InnerTextAsync();
        Assert.True(long.Parse(total.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture) > 0, $"total requests on blue: {total}");
        Assert.Equal("2", (await page.Page.Locator("[data-test=route-row][data-route=shadow] [data-test=serving-version]").InnerTextAsync()).Trim());
        // The requests/s chart has drawn one line per route.
        await page.Page.Locator("[data-test=live-stats] [data-title='Requests/s'] .scatterlayer .trace").Nth(1).WaitForAsync(Attached);
        await page.ScreenshotAsync("endpoint-live");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task ChangeWeights_Save70To30_SpecChangedAuditedAndShown_BadSumRejectedInline()
    {
        var (_, endpoint) = await CreateTwoRouteEndpointAsync("weights");
        await using var page = await ui.OpenAsync($"/endpoints/{endpoint}", UiFixture.Approver);
        var blue = page.Page.Locator("[data-test=weight-blue]");
        await blue.WaitForAsync();

        await SetWeightsAsync(page, 70, 30);
        await page.Page.Locator("[data-test=save-weights]").ClickAsync();
        await page.Page.Locator("[data-test=weight-saved]").WaitForAsync();

        await WaitForTextAsync(page.Page.Locator("[data-test=route-row][data-route=blue] [data-test=share]"), "70%");
        Assert.Equal("30%", (await page.Page.Locator("[data-test=route-row][data-route=green] [data-test=share]").InnerTextAsync()).Trim());
        var stored = await ui.Client.GetEndpointAsync(endpoint);
        Assert.Equal([70, 30], stored.Routes.Select(r => r.Weight ?? 0));
        Assert.Equal(2, stored.Revision);
        var updated = page.Page.Locator($"[data-test=audit-event][data-action='endpoint.updated'][data-actor='{UiFixture.Approver}']");
        await updated.WaitForAsync();
        await page.ScreenshotAsync("endpoint-weights-saved");

        await SetWeightsAsync(page, 60, 30);
        await page.Page.Locator("[data-test=save-weights]").ClickAsync();
        var error = page.Page.Locator("[data-test=weight-error]");
        await error.WaitForAsync();
        Assert.Contains("add up to 100", await error.InnerTextAsync());
        var unchanged = await ui.Client.GetEndpointAsync(endpoint);
        Assert.Equal([70, 30], unchanged.Routes.Select(r => r.Weight ?? 0));
        Assert.Equal(2, unchanged.Revision);
        Assert.Equal(1, await updated.CountAsync());
        await page.ScreenshotAsync("endpoint-weights-invalid");
        page.AssertNoErrors();
    }

    // A flat line has an empty bounding box, which Playwright counts as hidden: traces are awaited in the DOM.
    private static readonly LocatorWaitForOptions Attached = new() { State = WaitForSelectorState.Attached };

    private static async Task SetWeightsAsync(UiPage page, int blue, int green)
    {
        await page.Page.Locator("[data-test=weight-blue]").FillAsync(blue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Page.Locator("[data-test=weight-blue]").BlurAsync();
        await page.Page.Locator("[data-test=weight-green]").FillAsync(green.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Page.Locator("[data-test=weight-green]").BlurAsync();
        // The circuit has taken both values once the sum it renders is theirs.
        await WaitForTextAsync(page.Page.Locator("[data-test=weight-sum]"), $"sum {blue + green}");
    }

    private static async Task WaitForTextAsync(ILocator locator, string text) =>
        await locator.Filter(new LocatorFilterOptions { HasText = text }).WaitForAsync();

    /// <summary>An endpoint with routes blue (version 1) and green (version 2) at 50/50, every request logged, and a shadow route when asked.</summary>
    private async Task<(string Model, string Endpoint)> CreateTwoRouteEndpointAsync(string prefix, int? shadowVersion = null)
    {
        var model = UiFixture.Unique(prefix + "-model");
        var endpoint = UiFixture.Unique(prefix);
        await _seed.RegisterModelAsync(model, versions: 2);
        await _seed.CreateEndpointAsync(new EndpointSpec
        {
            Name = endpoint,
            Description = "Breast cancer screening, canary of version 2",
            Routes = [new EndpointRoute("blue", $"models:/{model}/1", 50), new EndpointRoute("green", $"models:/{model}/2", 50)],
            Shadow = shadowVersion is { } version ? new EndpointRoute("shadow", $"models:/{model}/{version}") : null,
            LogSampleRate = 1,
        });
        return (model, endpoint);
    }
}
