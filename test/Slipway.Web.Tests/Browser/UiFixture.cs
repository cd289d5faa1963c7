using System.Text;
using Microsoft.Playwright;
using Slipway.Client;
using Slipway.Server;
using Slipway.Testing;

namespace Slipway.Web.Tests.Browser;

/// <summary>
/// One real Slipway server on 127.0.0.1 and one headless Chromium (Debian's <c>/usr/bin/chromium</c>, or
/// <c>SLIPWAY_TEST_CHROMIUM</c>) driven by Playwright, shared by every UI test. Tests keep apart by unique names
/// and each opens its own browser context, so cookies and pages never leak between them.
/// </summary>
public sealed class UiFixture : IAsyncLifetime
{
    /// <summary>Users the UI tests sign in as through an HTTP Basic header; <see cref="Approver"/> holds the approver role.</summary>
    public const string Approver = "ada";
    public const string Requester = "grace";

    private SlipwayTestServer? _server;
    private SlipwayClient? _client;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public SlipwayTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");
    public SlipwayClient Client => _client ?? throw new InvalidOperationException("The server has not started.");
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    /// <summary>Where screenshots go: <c>SLIPWAY_TEST_SCREENSHOTS</c>, else <c>TestResults/screenshots</c> beside the project.</summary>
    public static string ScreenshotDirectory { get; } = Environment.GetEnvironmentVariable("SLIPWAY_TEST_SCREENSHOTS") is { Length: > 0 } configured
        ? configured
        : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "TestResults", "screenshots"));

    public static string Unique(string prefix) => SlipwayServerFixture.Unique(prefix);

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync(configure: o => o.SetApprovers(Approver));
        _client = new SlipwayClient(_server.BaseAddress);
        var chromium = Environment.GetEnvironmentVariable("SLIPWAY_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
            throw new InvalidOperationException($"Chromium was not found at {chromium}; scripts/test.sh installs Debian's chromium package (or set SLIPWAY_TEST_CHROMIUM).");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>Opens <paramref name="path"/> in a fresh browser context, as <paramref name="user"/> when given, and
    /// waits until the page is interactive (the Blazor connection is up and the layout rendered).</summary>
    public async Task<UiPage> OpenAsync(string path, string? user = null)
    {
        var options = new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        };
        if (user is not null)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":secret"));
            options.ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Basic " + credentials };
        }
        var context = await Browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        var uiPage = new UiPage(context, page);
        await uiPage.GotoAsync(path);
        return uiPage;
    }

    public async Task DisposeAsync()
    {
        // The server stops first, while the browser still holds its connections open: closing the browser first
        // left Kestrel waiting on half-closed Blazor connections until its shutdown timeout.
        _client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>All UI tests share one server and one browser and run one at a time (two cores; Chromium is heavy).</summary>
[CollectionDefinition(Name)]
public sealed class UiCollection : ICollectionFixture<UiFixture>
{
    public const string Name = "ui";
}
