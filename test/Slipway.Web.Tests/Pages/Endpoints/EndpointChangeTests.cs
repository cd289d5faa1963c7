using System.Globalization;
using Microsoft.Playwright;
using Slipway.Client;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Pages.Endpoints;

/// <summary>The endpoint page against changes made elsewhere: a stale weight form, and an audit trail longer than a page.</summary>
[Collection(UiCollection.Name)]
public sealed class EndpointChangeTests(UiFixture ui)
{
    private readonly ServingSeed _seed = new(ui);

    [Fact]
    public async Task SaveWeights_EndpointChangedAfterThePageOpened_RefusedInlineAndNothingChanged()
    {
        var spec = await CreateEndpointAsync("stale");
        await using var page = await ui.OpenAsync($"/endpoints/{spec.Name}", UiFixture.Approver);
        await page.Page.Locator("[data-test=weight-blue]").WaitForAsync();
        await FillAsync(page, "blue", 70);
        await FillAsync(page, "green", 30);
        await page.Page.Locator("[data-test=weight-sum]").Filter(new LocatorFilterOptions { HasText = "sum 100" }).WaitForAsync();

        // Someone else moves the split while the form is open with the user's numbers.
        await ui.Client.UpdateEndpointAsync(spec with { Routes = [spec.Routes[0] with { Weight = 20 }, spec.Routes[1] with { Weight = 80 }] });
        await page.Page.Locator("[data-test=save-weights]").ClickAsync();

        var error = page.Page.Locator("[data-test=weight-error]");
        await error.WaitForAsync();
        Assert.Contains("changed since you opened it", await error.InnerTextAsync());
        var stored = await ui.Client.GetEndpointAsync(spec.Name);
        Assert.Equal([20, 80], stored.Routes.Select(r => r.Weight ?? 0));
        Assert.Equal(2, stored.Revision);
        Assert.Equal(0, await page.Page.Locator("[data-test=weight-saved]").CountAsync());
        await page.ScreenshotAsync("endpoint-weights-stale");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task AuditTrail_MoreEventsThanShown_NewestFirst()
    {
        const int updates = 205;
        var spec = await CreateEndpointAsync("audit");
        for (var i = 1; i <= updates; i++)
            await ui.Client.UpdateEndpointAsync(spec with { Description = Revision(i) });

        await using var page = await ui.OpenAsync($"/endpoints/{spec.Name}");
        var events = page.Page.Locator("[data-test=audit-event]");
        await events.First.WaitForAsync();

        // The first row is the last change; the oldest (the creation) is beyond the rows shown.
        Assert.Contains(Revision(updates), await events.First.Locator("pre").TextContentAsync());
        Assert.Contains(Revision(updates - 1), await events.Nth(1).Locator("pre").TextContentAsync());
        Assert.Equal(0, await page.Page.Locator("[data-test=audit-event][data-action='endpoint.created']").CountAsync());
        await page.Page.Locator("[data-test=audit-more]").WaitForAsync();
        await page.ScreenshotAsync("endpoint-audit-newest");
        page.AssertNoErrors();
    }

    private static string Revision(int i) => "description " + i.ToString("D3", CultureInfo.InvariantCulture);

    private static async Task FillAsync(UiPage page, string route, int weight)
    {
        var input = page.Page.Locator($"[data-test=weight-{route}]");
        await input.FillAsync(weight.ToString(CultureInfo.InvariantCulture));
        await input.BlurAsync();
    }

    private async Task<EndpointSpec> CreateEndpointAsync(string prefix)
    {
        var model = UiFixture.Unique(prefix + "-model");
        await _seed.RegisterModelAsync(model, versions: 1);
        var spec = new EndpointSpec
        {
            Name = UiFixture.Unique(prefix),
            Routes = [new EndpointRoute("blue", $"models:/{model}/1", 50), new EndpointRoute("green", $"models:/{model}/1", 50)],
        };
        await _seed.CreateEndpointAsync(spec);
        return spec;
    }
}
