using System.Globalization;
using System.Text.RegularExpressions;

namespace Slipway.LoadTest.Scenarios;

/// <summary>
/// <c>slipway monitor report</c> end to end, as a user runs it: the Release executable as a child process reads two
/// Parquet files of 1,000,000 rows × 25 columns, computes drift with the default methods, and writes the HTML and JSON
/// reports. Wall time is from process start to exit; peak memory is the larger of VmHWM polled every 5 ms from
/// <c>/proc/PID/status</c> and the peak the command itself prints with <c>--timings</c>.
/// </summary>
internal sealed partial class DriftReportScenario : IScenario
{
    private const int Repetitions = 3;

    public string Name => "drift-report";

    public async Task RunAsync(ScenarioContext context)
    {
        var rows = context.Budget(1_000_000, 100_000);
        var (reference, current, generated) = await DriftReportData.EnsureAsync(rows);
        Console.WriteLine(generated > TimeSpan.Zero
            ? $"  generated {rows:N0}-row reference and current files in {generated.TotalSeconds:0.0} s under {Path.GetDirectoryName(reference)}"
            : $"  reusing the cached files under {Path.GetDirectoryName(reference)}");

        var runs = new List<RunFigures>();
        for (var i = 0; i < context.Budget(Repetitions, 1); i++)
        {
            var run = await RunOnceAsync(context.SlipwayPath, reference, current);
            Console.WriteLine($"  run {i + 1}: {run.Wall.TotalSeconds:0.00} s, peak {run.PeakMib:0} MiB; {run.Timings}");
            runs.Add(run);
        }

        var wall = runs.Select(r => r.Wall.TotalSeconds).Order().ToList();
        var median = wall[wall.Count / 2];
        var medianRun = runs.First(r => r.Wall.TotalSeconds == median);
        var peak = runs.Max(r => r.PeakMib);
        var peakMb = peak * 1024 * 1024 / 1e6;
        var cells = 2.0 * rows * (DriftReportData.NumericColumns + DriftReportData.CategoricalColumns);
        var shape = $"{rows:N0} + {rows:N0} rows × {DriftReportData.NumericColumns} float64 + {DriftReportData.CategoricalColumns} string columns, Parquet → HTML + JSON";
        context.Report(Name, $"wall time, median of {runs.Count} ({shape})", $"{median:0.00} s", "< 3 s", median < 3, "",
            $"runs {string.Join(", ", wall.Select(w => w.ToString("0.00", CultureInfo.InvariantCulture)))} s; the median run inside the command: {medianRun.Timings}");
        context.Report(Name, "peak memory (VmHWM)", $"{peakMb:0} MB ({peak:0} MiB)", "< 1.5 GB", peakMb < 1500, "",
            $"per run {string.Join(", ", runs.Select(r => r.PeakMib.ToString("0", CultureInfo.InvariantCulture)))} MiB");
        context.Report(Name, "throughput (rows of both files × columns / wall time)", $"{cells / median / 1e6:0.0} M cells/s", "", null, "",
            $"HTML {runs[0].HtmlBytes / 1024.0:0} KiB, JSON {runs[0].JsonBytes / 1024.0:0} KiB");
    }

    private sealed record RunFigures(TimeSpan Wall, double PeakMib, string Timings, long HtmlBytes, long JsonBytes);

    private static async Task<RunFigures> RunOnceAsync(string slipway, string reference, string current)
    {
        var output = Directory.CreateTempSubdirectory("slipway-bench-report-");
        try
        {
            var html = Path.Combine(output.FullName, "report.html");
            var json = Path.Combine(output.FullName, "report.json");
            var run = await MeasuredProcess.RunAsync(slipway,
                ["monitor", "report", "--reference", reference, "--current", current, "--out", html, "--json", json, "--timings"]);
            var timings = TimingsLine().Match(run.Errors);
            var reportedPeak = timings.Success ? double.Parse(timings.Groups["peak"].Value, CultureInfo.InvariantCulture) : 0;
            return new RunFigures(run.Wall, Math.Max(run.PeakMib, reportedPeak), timings.Success ? timings.Groups["phases"].Value : "(no timings)",
                new FileInfo(html).Length, new FileInfo(json).Length);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"timings: (?<phases>.*), peak memory (?<peak>\d+) MiB")]
    private static partial Regex TimingsLine();
}
