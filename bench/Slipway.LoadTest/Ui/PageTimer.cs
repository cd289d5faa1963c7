using Microsoft.Playwright;

namespace Slipway.LoadTest.Ui;

/// <summary>Milliseconds from navigation start on the run page.</summary>
internal readonly record struct RunPageTimes(double AllChartsMs, double InteractiveMs, double PlotlyFetchedMs, double FirstChartMs);

/// <summary>
/// Times what a user waits for, measured inside the page with <c>performance.now()</c> so that Playwright's own
/// round trips are not counted: from navigation start (the document's time origin) or from the click event to the
/// first animation frame at which the awaited content is in the DOM (Playwright polls the condition every frame).
/// </summary>
internal sealed class PageTimer(IBrowser browser, Uri baseAddress) : IAsyncDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    /// <summary>Every metric chart of the run page has its Plotly SVG, and there are as many charts as metrics.</summary>
    private const string ChartsDrawn = """
        (count) => {
            const charts = document.querySelectorAll('[data-test=metric-charts] [data-test=line-chart]');
            if (charts.length !== count) return false;
            for (const chart of charts) if (!chart.querySelector('.main-svg')) return false;
            return performance.now();
        }
        """;

    private const string RowsShown = """
        () => document.querySelector('[data-test=runs-table] [data-test=run-row]') ? performance.now() : false
        """;

    /// <summary>Remembers the first row and stamps the next click, before the sort header is clicked.</summary>
    private const string ArmSort = """
        () => {
            window.__slipwayFirstRow = document.querySelector('[data-test=runs-table] [data-test=run-row]').innerText;
            document.addEventListener('click', () => { window.__slipwayClickAt = performance.now(); }, { capture: true, once: true });
        }
        """;

    /// <summary>The first row changed and the column under the sort header is in order (either direction).</summary>
    private const string RowsSorted = """
        (key) => {
            const header = document.querySelector(`[data-test="sort-metrics.${key}"]`);
            const rows = [...document.querySelectorAll('[data-test=runs-table] [data-test=run-row]')];
            if (!header || rows.length === 0 || rows[0].innerText === window.__slipwayFirstRow) return false;
            const column = (header.closest('th') ?? header).cellIndex;
            const values = rows.map(r => parseFloat(r.cells[column]?.innerText)).filter(v => !Number.isNaN(v));
            if (values.length < rows.length) return false;
            const ascending = values.every((v, i) => i === 0 || values[i - 1] <= v);
            const descending = values.every((v, i) => i === 0 || values[i - 1] >= v);
            return ascending || descending ? performance.now() - window.__slipwayClickAt : false;
        }
        """;

    /// <summary>
    /// Stamps, from the document's start, when the layout became interactive (the Blazor connection rendered it) and
    /// when the first chart was drawn, to tell where the time of a slow page goes.
    /// </summary>
    private const string MarkMilestones = """
        window.__slipwayMarks = {};
        new MutationObserver(() => {
            const marks = window.__slipwayMarks;
            if (marks.interactive && marks.firstChart) return;
            const now = performance.now();
            if (!marks.interactive && document.querySelector('.app[data-interactive]')) marks.interactive = now;
            if (!marks.firstChart && document.querySelector('[data-test=line-chart] .main-svg')) marks.firstChart = now;
        }).observe(document, { childList: true, subtree: true });
        """;

    // One context for every repetition: the scripts are in the HTTP cache after the first visit, as for a user
    // moving between pages; each repetition still loads the page, its connection and its data from scratch.
    private IBrowserContext? _context;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _consoleErrors = new();

    /// <summary>
    /// Navigation start → the run page has drawn <paramref name="charts"/> charts, in ms, with the milestones on the way:
    /// the layout interactive and the first chart drawn.
    /// </summary>
    public async Task<RunPageTimes> RunPageAsync(string runId, int charts)
    {
        var page = await NewPageAsync();
        try
        {
            await page.GotoAsync($"runs/{runId}", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            var allDrawn = await WaitAsync(page, ChartsDrawn, charts);
            var interactive = await page.EvaluateAsync<double>("() => window.__slipwayMarks.interactive ?? NaN");
            // Plotly.Blazor loads the plotly.js bundle when it draws its first chart; the resource timing says when it
            // had it (the gap to the first chart is then parsing the 4.6 MB bundle and drawing).
            var plotly = await page.EvaluateAsync<double>(
                "() => performance.getEntriesByType('resource').find(e => /\\/plotly-(basic-)?\\d/.test(e.name))?.responseEnd ?? NaN");
            var firstChart = await page.EvaluateAsync<double>("() => window.__slipwayMarks.firstChart ?? NaN");
            return new RunPageTimes(allDrawn, interactive, plotly, firstChart);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    /// <summary>Navigation start → the first page of the runs table is shown, in ms; then click → re-sorted by a metric.</summary>
    public async Task<(double FirstPageMs, double SortMs)> RunsTableAsync(string experimentId, string metric)
    {
        var page = await NewPageAsync();
        try
        {
            await page.GotoAsync($"experiments/{experimentId}", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            var firstPage = await WaitAsync(page, RowsShown, null);
            await page.EvaluateAsync(ArmSort);
            await page.Locator($"[data-test=\"sort-metrics.{metric}\"]").ClickAsync();
            var sort = await WaitAsync(page, RowsSorted, metric);
            return (firstPage, sort);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private async Task<IPage> NewPageAsync()
    {
        if (_context is null)
        {
            _context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = baseAddress.ToString(),
                ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            });
            await _context.AddInitScriptAsync(MarkMilestones);
        }
        var page = await _context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                _consoleErrors.Enqueue(message.Text);
        };
        page.PageError += (_, error) => _consoleErrors.Enqueue(error);
        return page;
    }

    /// <summary>
    /// The console errors and uncaught page errors logged since the last call, and forgets them: a measurement taken
    /// on a page that logged errors (a failed load, a chart that threw) is not a measurement of the page working.
    /// </summary>
    public IReadOnlyList<string> TakeErrors()
    {
        var errors = new List<string>();
        while (_consoleErrors.TryDequeue(out var error))
            errors.Add(error);
        return errors;
    }

    /// <summary>What the page showed when a wait ran out, so a failed run says why.</summary>
    private const string Describe = """
        () => `${document.querySelectorAll('[data-test=line-chart]').length} line charts, ` +
              `${document.querySelectorAll('[data-test=line-chart] .main-svg').length} drawn, ` +
              `${document.querySelectorAll('[data-test=run-row]').length} run rows; page text: ` +
              document.body.innerText.slice(0, 400).replace(/\s+/g, ' ')
        """;

    private async Task<double> WaitAsync(IPage page, string condition, object? argument)
    {
        try
        {
            var handle = await page.WaitForFunctionAsync(condition, argument, new PageWaitForFunctionOptions
            {
                Timeout = (float)WaitLimit.TotalMilliseconds,
            });
            return await handle.JsonValueAsync<double>();
        }
        catch (TimeoutException)
        {
            var screenshot = Path.Combine(Path.GetTempPath(), $"slipway-ui-bench-timeout-{DateTime.UtcNow:HHmmss}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            throw new TimeoutException(
                $"{page.Url} did not get there within {WaitLimit.TotalSeconds:0} s: {await page.EvaluateAsync<string>(Describe)} (screenshot {screenshot}); console errors: {string.Join(" | ", _consoleErrors)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_context is not null)
            await _context.CloseAsync();
    }
}
