using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Slipway.Client;
using Slipway.Core.Audit;
using Slipway.Core.Security;
using Slipway.Security.Credentials;
using Slipway.Testing;
using Slipway.Web.Tests.Browser;

namespace Slipway.Web.Tests.Security;

/// <summary>
/// A real Slipway server with authentication on (an administrator from the bootstrap password, session cookies marked
/// Secure), one per test class; the classes join the UI collection and borrow its Chromium, so they run one at a time
/// with the other UI tests. The browser reaches the server as <c>http://localhost</c>, a secure context where browsers
/// keep Secure cookies without TLS. Users are created straight in the security store, so these tests depend only on
/// the sign-in path they exercise.
/// </summary>
public sealed class AuthUiFixture : IAsyncLifetime
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "admin-password-for-tests";
    /// <summary>The password every user made by <see cref="CreateUserAsync"/> gets.</summary>
    public const string UserPassword = "user-password-for-tests";

    private SlipwayTestServer? _server;

    public SlipwayTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The server as the browser addresses it: <c>http://localhost:PORT/</c>.</summary>
    public Uri BrowserAddress => new UriBuilder(Server.BaseAddress) { Host = "localhost" }.Uri;

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync(configure: o =>
        {
            o.Auth.Enabled = true;
            o.Auth.AdminPassword = AdminPassword;
            o.Auth.PasswordIterations = 10_000;
            // The tests sign in wrongly on purpose, all from 127.0.0.1; throttling has its own test and server.
            o.Auth.MaxFailedSignIns = 1000;
        });
    }

    /// <summary>A user with <see cref="UserPassword"/>, no roles, not an administrator.</summary>
    public async Task<string> CreateUserAsync(string prefix)
    {
        var name = UiFixture.Unique(prefix);
        var hasher = Server.Services.GetRequiredService<PasswordHasher>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Store.CreateUserAsync(new SlipwayUser(name, hasher.Hash(UserPassword), false, [], now, now), Audit, CancellationToken.None);
        return name;
    }

    /// <summary>Sets a user's permission on a resource, as <c>PUT /api/2.0/slipway/permissions</c> would.</summary>
    public async Task GrantAsync(ResourceRef resource, string user, PermissionLevel level)
    {
        await Store.SetPermissionAsync(new PermissionGrant(resource.Kind, resource.Key, user, level), Audit, CancellationToken.None);
        Server.Services.GetRequiredService<ISecurityCache>().GrantsChanged();
    }

    /// <summary>A client of the REST API signed in with HTTP Basic.</summary>
    public SlipwayClient ClientAs(string user, string password) =>
        new(Server.BaseAddress) { UserName = user, Password = password };

    /// <summary>A fresh browser context (no cookies) on the login page that leads to <paramref name="returnPath"/>.</summary>
    public async Task<UiPage> OpenLoginAsync(IBrowser browser, string returnPath = "/")
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BrowserAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var page = new UiPage(context, await context.NewPageAsync());
        await page.Page.GotoAsync(returnPath.TrimStart('/'));
        await page.Page.Locator("[data-test=login-form]").WaitForAsync();
        return page;
    }

    /// <summary>Signs in through the form and waits for the UI page the form leads to.</summary>
    public async Task<UiPage> SignInAsync(IBrowser browser, string user, string password, string returnPath = "/")
    {
        var page = await OpenLoginAsync(browser, returnPath);
        await SubmitLoginAsync(page, user, password);
        await page.Page.Locator(".app[data-interactive]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        return page;
    }

    public static async Task SubmitLoginAsync(UiPage page, string user, string password)
    {
        await page.Page.Locator("[data-test=login-user]").FillAsync(user);
        await page.Page.Locator("[data-test=login-password]").FillAsync(password);
        await page.Page.Locator("[data-test=login-submit]").ClickAsync();
    }

    private ISecurityStore Store => Server.Services.GetRequiredService<ISecurityStore>();

    private static AuditContext Audit => new(AdminUser, "ui-test");

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
