using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Slipway.Core.Audit;
using Slipway.Core.Security;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Security;

/// <summary>Per-resource permissions in the UI: lists show only what the signed-in user may read, pages refuse the rest.</summary>
[Collection(UiCollection.Name)]
public sealed class UiPermissionTests(UiFixture ui, AuthUiFixture auth) : IClassFixture<AuthUiFixture>
{
    [Fact]
    public async Task ExperimentWithoutRead_IsLeftOutOfTheList_AndItsPageSaysPermissionDenied()
    {
        var user = await auth.CreateUserAsync("reader");
        var prefix = UiFixture.Unique("perm");
        using var admin = auth.ClientAs(AuthUiFixture.AdminUser, AuthUiFixture.AdminPassword);
        var openId = await admin.CreateExperimentAsync(prefix + "-open");
        var closedId = await admin.CreateExperimentAsync(prefix + "-closed");
        // The default (READ) lets the user see the first; an explicit NO_PERMISSIONS hides the second.
        await auth.GrantAsync(new ResourceRef(ResourceKind.Experiment, closedId), user, PermissionLevel.None);

        await using var page = await auth.SignInAsync(ui.Browser, user, AuthUiFixture.UserPassword, "/experiments");
        await page.Page.Locator("[data-test=experiment-search]").FillAsync(prefix);
        await page.Page.Locator("[data-test=experiment-search]").PressAsync("Enter");
        await page.Page.WaitForFunctionAsync(
            "name => [...document.querySelectorAll('[data-test=experiment-link]')].map(a => a.textContent).join() === name", prefix + "-open");
        await page.ScreenshotAsync("experiments-list-filtered");

        await page.Page.GotoAsync($"experiments/{closedId}");
        var refusal = page.Page.Locator(".error-box");
        await refusal.WaitForAsync();
        Assert.Contains("PermissionDenied", await refusal.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(prefix + "-closed", await page.Page.ContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync("experiment-permission-denied");

        // The control: the experiment the user may read opens normally.
        await page.Page.GotoAsync($"experiments/{openId}");
        await page.Page.Locator("[data-test=experiment-name]", new PageLocatorOptions { HasText = prefix + "-open" }).WaitForAsync();
        page.AssertNoErrors();
    }

    [Fact]
    public async Task ModelWithoutRead_IsLeftOutOfTheList_AndItsPageShowsNoneOfItsData()
    {
        var user = await auth.CreateUserAsync("model-reader");
        var prefix = UiFixture.Unique("perm-model");
        using var admin = auth.ClientAs(AuthUiFixture.AdminUser, AuthUiFixture.AdminPassword);
        await admin.CreateRegisteredModelAsync(prefix + "-open");
        await admin.CreateRegisteredModelAsync(prefix + "-closed", description: "closed-description");
        await auth.GrantAsync(new ResourceRef(ResourceKind.Model, prefix + "-closed"), user, PermissionLevel.None);

        await using var page = await auth.SignInAsync(ui.Browser, user, AuthUiFixture.UserPassword, "/models");
        await page.Page.Locator("[data-test=model-search-input]").FillAsync(prefix);
        await page.Page.Locator("[data-test=model-search-input]").PressAsync("Enter");
        await page.Page.WaitForFunctionAsync(
            "name => [...document.querySelectorAll('[data-test=models-table] tr[data-model]')].map(r => r.dataset.model).join() === name", prefix + "-open");

        await page.Page.GotoAsync($"models/{prefix}-closed");
        var refusal = page.Page.Locator(".error-box");
        await refusal.WaitForAsync();
        Assert.Contains("PermissionDenied", await refusal.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("closed-description", await page.Page.ContentAsync(), StringComparison.Ordinal);
        page.AssertNoErrors();
    }

    [Fact]
    public async Task DeletingARun_NeedsEditOnItsExperiment_AndIsAuditedUnderTheSignedInUser()
    {
        var user = await auth.CreateUserAsync("editor");
        using var admin = auth.ClientAs(AuthUiFixture.AdminUser, AuthUiFixture.AdminPassword);
        var experimentId = await admin.CreateExperimentAsync(UiFixture.Unique("edit-perm"));
        var run = await admin.CreateRunAsync(experimentId, "doomed");
        await using var page = await auth.SignInAsync(ui.Browser, user, AuthUiFixture.UserPassword, $"/experiments/{experimentId}");

        // With the default READ the run is shown, but deleting it is refused.
        await DeleteTheOnlyRunAsync(page);
        Assert.Contains("PermissionDenied", await page.Page.Locator(".error-box").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("active", (await admin.GetRunAsync(run.Info.RunId)).Info.LifecycleStage);

        await auth.GrantAsync(new ResourceRef(ResourceKind.Experiment, experimentId), user, PermissionLevel.Edit);
        await DeleteTheOnlyRunAsync(page);
        await page.Page.Locator("[data-test=no-runs]").WaitForAsync();

        Assert.Equal("deleted", (await admin.GetRunAsync(run.Info.RunId)).Info.LifecycleStage);
        var audit = auth.Server.Services.GetRequiredService<IAuditStore>();
        var (events, _) = await audit.SearchAsync(new AuditQuery(AuditResources.Run(run.Info.RunId), null, null, 10, 0), CancellationToken.None);
        Assert.Equal(user, Assert.Single(events).Actor);
    }

    private static async Task DeleteTheOnlyRunAsync(UiPage page)
    {
        var row = page.Page.Locator("[data-test=runs-table] [data-test=run-row]");
        await row.Locator("[data-test=select-run]").CheckAsync();
        await page.Page.Locator("[data-test=delete-runs]:enabled").ClickAsync();
    }
}
