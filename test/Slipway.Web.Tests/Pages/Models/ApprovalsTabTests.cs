using Microsoft.Playwright;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Pages.Models;

/// <summary>Deciding approval requests from the model page as the signed-in user, under the registry's rules.</summary>
[Collection(UiCollection.Name)]
public sealed class ApprovalsTabTests(UiFixture ui)
{
    [Fact]
    public async Task Approve_AsApprover_RequestApprovedAliasMovedAndAuditShowsDecision()
    {
        var scenario = await ModelScenario.CreateAsync(ui, "churn-approve");

        await using var page = await ui.OpenAsync($"/models/{scenario.Name}?tab=approvals", UiFixture.Approver);
        var row = RequestRow(page, scenario);
        await row.Locator("[data-test=approve]").WaitForAsync();
        Assert.Equal(UiFixture.Approver, await page.Page.Locator("[data-test=acting-as]").InnerTextAsync());
        await page.ScreenshotAsync("model-approvals-pending");
        await row.Locator("[data-test=approval-comment]").FillAsync("auc holds on the holdout set");
        await row.Locator("[data-test=approve]").ClickAsync();

        await page.Page.Locator($"tr[data-request-id='{scenario.PendingRequestId}'][data-status=approved]").WaitForAsync();
        var decision = await row.Locator("[data-test=decision]").InnerTextAsync();
        Assert.Contains($"{UiFixture.Approver} approved", decision, StringComparison.Ordinal);
        Assert.Contains("auc holds on the holdout set", decision, StringComparison.Ordinal);
        // The approval moved the protected alias, which the page header shows.
        await page.Page.Locator("h1[data-test=model-name] + .row [data-alias=champion]").WaitForAsync();
        var champion = await ui.Client.GetModelVersionByAliasAsync(scenario.Name, ModelScenario.Champion);
        Assert.Equal("2", champion.Version);

        await page.Page.Locator("[data-test=model-tabs] button[data-tab=audit]").ClickAsync();
        var decided = page.Page.Locator($"[data-test=audit-table] tr[data-action='approval.decided'][data-actor={UiFixture.Approver}]");
        await decided.WaitForAsync();
        await decided.Locator("[data-test=audit-expand]").ClickAsync();
        Assert.Contains("approved", await page.Page.Locator("tr.audit-detail").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.Page.Locator($"[data-test=audit-table] tr[data-action='approval.requested'][data-actor={UiFixture.Requester}]").CountAsync());
        // Newest first: the decision is listed above the request it decided.
        var actions = await page.Page.Locator("[data-test=audit-table] tbody tr[data-action]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.action)");
        Assert.True(Array.IndexOf(actions, "approval.decided") < Array.IndexOf(actions, "approval.requested"), string.Join(", ", actions));
        await page.ScreenshotAsync("model-audit");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task Reject_AsApprover_RequestRejectedAliasUnchanged()
    {
        var scenario = await ModelScenario.CreateAsync(ui, "churn-reject");

        await using var page = await ui.OpenAsync($"/models/{scenario.Name}?tab=approvals", UiFixture.Approver);
        var row = RequestRow(page, scenario);
        await row.Locator("[data-test=reject]").ClickAsync();

        await page.Page.Locator($"tr[data-request-id='{scenario.PendingRequestId}'][data-status=rejected]").WaitForAsync();
        Assert.Contains($"{UiFixture.Approver} rejected", await row.Locator("[data-test=decision]").InnerTextAsync(), StringComparison.Ordinal);
        var model = await ui.Client.GetRegisteredModelAsync(scenario.Name);
        Assert.DoesNotContain(model.Aliases, a => a.Alias == ModelScenario.Champion);
        page.AssertNoErrors();
    }

    [Fact]
    public async Task Approve_AsRequester_ShowsRegistryRefusalAndStaysPending()
    {
        var scenario = await ModelScenario.CreateAsync(ui, "churn-self");

        await using var page = await ui.OpenAsync($"/models/{scenario.Name}?tab=approvals", UiFixture.Requester);
        var row = RequestRow(page, scenario);
        await row.Locator("[data-test=approve]").ClickAsync();

        var error = row.Locator("[data-test=approval-error]");
        await error.WaitForAsync();
        Assert.Contains("cannot decide it", await error.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("pending", await row.GetAttributeAsync("data-status"));
        var request = await ui.Client.GetApprovalRequestAsync(scenario.PendingRequestId);
        Assert.Equal("pending", request.Status);
        await page.ScreenshotAsync("model-approvals-refused");
        page.AssertNoErrors();
    }

    private static ILocator RequestRow(UiPage page, ModelScenario scenario) =>
        page.Page.Locator($"[data-test=approvals-table] tr[data-request-id='{scenario.PendingRequestId}']");
}
