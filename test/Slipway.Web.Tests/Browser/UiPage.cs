using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Slipway.Web.Tests.Browser;

/// <summary>
/// A page in its own browser context that records every console error, uncaught script error and failed request,
/// so a test can assert the page stayed clean, and writes screenshots as test artifacts.
/// </summary>
public sealed class UiPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _errors = new();

    internal UiPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                _errors.Enqueue($"console: {message.Text}");
        };
        page.PageError += (_, error) => _errors.Enqueue($"page error: {error}");
        page.RequestFailed += (_, request) =>
        {
            // A navigation away cancels what the old page still had in flight; that is not a failure of the page.
            if (request.Failure is not ("net::ERR_ABORTED" or null))
                _errors.Enqueue($"request failed: {request.Method} {request.Url} ({request.Failure})");
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 500)
                _errors.Enqueue($"server error: {response.Status} {response.Url}");
        };
    }

    public IPage Page { get; }

    /// <summary>Everything that went wrong in the page so far.</summary>
    public IReadOnlyList<string> Errors => _errors.ToArray();

    /// <summary>Navigates and waits until the Blazor connection has rendered the layout.</summary>
    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path.TrimStart('/'));
        await Page.Locator(".app[data-interactive]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
    }

    /// <summary>Fails the test with every recorded error, if there was any.</summary>
    public void AssertNoErrors() =>
        Assert.True(_errors.IsEmpty, "The page reported errors:\n" + string.Join("\n", _errors));

    /// <summary>Writes a full-page PNG to <see cref="UiFixture.ScreenshotDirectory"/> and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(UiFixture.ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
