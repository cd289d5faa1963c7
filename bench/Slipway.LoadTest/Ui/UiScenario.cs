using Microsoft.Playwright;
using Slipway.LoadTest.Scenarios;

namespace Slipway.LoadTest.Ui;

/// <summary>
/// The web UI in headless Chromium (Debian's <c>/usr/bin/chromium</c>, or <c>SLIPWAY_BENCH_CHROMIUM</c>) driven by
/// Playwright against a real server: the run page of a run with 10 metrics × 100,000 steps, and the runs table of an
/// experiment with 10,000 runs (first page, then sorting by a metric). One warm-up visit, then a fixed number of timed
/// repetitions; the median is held against the target, the maximum is reported beside it.
/// </summary>
internal sealed class UiScenario : IScenario
{
    private const int Repetitions = 10;

    public string Name => "ui";

    public async Task RunAsync(ScenarioContext context)
    {
        var chromium = Environment.GetEnvironmentVariable("SLIPWAY_BENCH_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
            throw new InvalidOperationException($"Chromium was not found at {chromium}: install Debian's chromium package or set SLIPWAY_BENCH_CHROMIUM");

        await using var server = await context.StartServerAsync();
        var api = new SlipwayApi(context.Http, server.BaseAddress);
        var runCount = context.Budget(10_000, 1_000);
        var steps = context.Budget(100_000, 10_000);
        var (experimentId, seedRuns) = await UiSeed.ManyRunsAsync(api, runCount);
        Console.WriteLine($"  seeded {runCount:N0} runs in {seedRuns.TotalSeconds:0.0} s");
        var (runId, seedHistory) = await UiSeed.LongHistoriesAsync(api, steps);
        Console.WriteLine($"  seeded {UiSeed.MetricKeys} metrics × {steps:N0} steps in {seedHistory.TotalSeconds:0.0} s");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
        await using var timer = new PageTimer(browser, server.BaseAddress);

        var repetitions = context.Budget(Repetitions, 3);
        Console.WriteLine($"  measuring (load average {MachineInfo.LoadAverage()})");
        // Each page is measured on its own, so that one page failing (it is reported) does not hide the other's figures;
        // a page that logged errors while measured has its figures flagged.
        try
        {
            var runPage = await RepeatAsync(repetitions, () => timer.RunPageAsync(runId, UiSeed.MetricKeys));
            var errors = timer.TakeErrors();
            Report(context, $"run page, {UiSeed.MetricKeys} metrics × {steps:N0} steps: navigation → every chart drawn", runPage.Select(t => t.AllChartsMs).ToList(), 2000, errors);
            Report(context, "run page: navigation → layout interactive (connection up)", runPage.Select(t => t.InteractiveMs).ToList(), null, errors);
            Report(context, "run page: navigation → plotly.js bundle fetched (HTTP cache)", runPage.Select(t => t.PlotlyFetchedMs).ToList(), null, errors);
            Report(context, "run page: navigation → first chart drawn", runPage.Select(t => t.FirstChartMs).ToList(), null, errors);
        }
        catch (TimeoutException exception)
        {
            context.ReportFailure("ui (run page)", exception);
        }
        timer.TakeErrors(); // a failed run page's errors are in its failure; the table starts clean
        try
        {
            var table = await RepeatAsync(repetitions, () => timer.RunsTableAsync(experimentId, UiSeed.SortMetric));
            var errors = timer.TakeErrors();
            Report(context, $"runs table, {runCount:N0} runs: navigation → first page of rows", table.Select(t => t.FirstPageMs).ToList(), 500, errors);
            Report(context, $"runs table, {runCount:N0} runs: click sort by metrics.{UiSeed.SortMetric} → rows re-ordered", table.Select(t => t.SortMs).ToList(), 500, errors);
        }
        catch (TimeoutException exception)
        {
            context.ReportFailure("ui (runs table)", exception);
        }
    }

    /// <summary>One warm-up visit (first in the list), then <paramref name="repetitions"/> timed ones.</summary>
    private static async Task<List<T>> RepeatAsync<T>(int repetitions, Func<Task<T>> visit)
    {
        var results = new List<T>(repetitions + 1);
        for (var i = 0; i <= repetitions; i++)
            results.Add(await visit());
        return results;
    }

    /// <param name="visitsMs">The warm-up visit first, then the timed repetitions.</param>
    /// <param name="targetMs">Null for a diagnostic figure without a target.</param>
    /// <param name="pageErrors">Errors the page logged during the visits: they fail the figure and are quoted.</param>
    private static void Report(ScenarioContext context, string measure, List<double> visitsMs, double? targetMs, IReadOnlyList<string> pageErrors)
    {
        var warmUpMs = visitsMs[0];
        var timesMs = visitsMs.Skip(1).Order().ToList();
        var median = timesMs.Count % 2 == 1 ? timesMs[timesMs.Count / 2] : (timesMs[timesMs.Count / 2 - 1] + timesMs[timesMs.Count / 2]) / 2;
        bool? pass = pageErrors.Count > 0 ? false : targetMs is null ? null : median < targetMs;
        var flagged = pageErrors.Count == 0 ? "" : $"; THE PAGE LOGGED {pageErrors.Count} ERROR(S), first: {pageErrors[0]}";
        context.Report("ui", measure, $"median {LatencyStats.Ms(median)}", targetMs is null ? "" : $"< {targetMs:0} ms", pass, "",
            $"max {LatencyStats.Ms(timesMs[^1])}, min {LatencyStats.Ms(timesMs[0])} over {timesMs.Count} repetitions; " +
            $"warm-up (first visit of the page, not counted) {LatencyStats.Ms(warmUpMs)}{flagged}");
    }
}
