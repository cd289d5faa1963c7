using Slipway.Monitoring.Monitors;
using Slipway.Web.Components.Shared.Charts;

namespace Slipway.Web.Components.Monitors;

/// <summary>A finished run with its report read back (null when the run failed or stored none, or when the stored
/// report could not be read: then <paramref name="ReportProblem"/> says why).</summary>
public sealed record RunReport(MonitorRunRecord Run, MonitorReport? Report, string? ReportProblem = null)
{
    /// <summary>The run with its stored report parsed; a report this page cannot read (an older format, a damaged
    /// document) is a problem of that run alone, never of the page that lists it among others.</summary>
    public static RunReport Of(MonitorRunRecord run)
    {
        if (run.Result is not { } json)
            return new RunReport(run, null);
        try
        {
            return new RunReport(run, MonitorReport.Parse(json));
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return new RunReport(run, null, $"The stored report could not be read: {exception.Message}");
        }
    }
}

/// <summary>
/// Lines over time from a monitor's report history, each point at the end of its run's window (Unix ms): drift score
/// per feature, data-quality shares, and performance metrics. Runs without the section are gaps, not zeros.
/// </summary>
public static class MonitorHistory
{
    /// <summary>The chosen test's score of every feature, one line per feature in the order of the latest report.</summary>
    public static IReadOnlyList<ChartSeries> FeatureDrift(IReadOnlyList<RunReport> oldestFirst) =>
        ByName(oldestFirst, r => r.FeatureDrift?.ColumnResults.Where(c => c.Checked).Select(c => (c.Column, c.Score)));

    /// <summary>The dataset's share of drifted features, with the share it is compared with.</summary>
    public static IReadOnlyList<ChartSeries> DriftShare(IReadOnlyList<RunReport> oldestFirst) =>
        ByName(oldestFirst, r => r.FeatureDrift is { } d ? [("share of drifted features", d.ShareOfDrifted), ("drift share threshold", d.DriftShare)] : null);

    /// <summary>Missing share (mean over columns), and the worst column's out-of-range and unseen-category shares.</summary>
    public static IReadOnlyList<ChartSeries> Quality(IReadOnlyList<RunReport> oldestFirst) =>
        ByName(oldestFirst, r => r.Quality is { Columns.Count: > 0 } q
            ? [
                ("mean missing share", q.Columns.Average(c => c.MissingShare)),
                ("max out-of-range share", q.Columns.Max(c => c.OutOfRangeShare ?? 0)),
                ("max unseen-category share", q.Columns.Max(c => c.UnseenCategoryShare ?? 0)),
              ]
            : null);

    /// <summary>Every performance metric a run computed, one line each.</summary>
    public static IReadOnlyList<ChartSeries> Performance(IReadOnlyList<RunReport> oldestFirst) =>
        ByName(oldestFirst, r => r.Performance?.Metrics.Select(m => (m.Key, m.Value)));

    private static List<ChartSeries> ByName(IReadOnlyList<RunReport> runs, Func<MonitorReport, IEnumerable<(string Name, double Value)>?> pick)
    {
        var points = runs.Where(r => r.Report is not null)
            .Select(r => (X: (double)r.Run.WindowEnd, Values: pick(r.Report!)?.ToList()))
            .Where(p => p.Values is not null)
            .ToList();
        // Names in the order the latest run lists them, then any that only older runs had.
        var names = points.AsEnumerable().Reverse().SelectMany(p => p.Values!.Select(v => v.Name)).Distinct(StringComparer.Ordinal).ToList();
        var x = points.Select(p => p.X).ToList();
        return names.Select(name => new ChartSeries(name, x,
            points.Select(p => p.Values!.FirstOrDefault(v => v.Name == name) is { Name: not null } v ? v.Value : double.NaN).ToList())).ToList();
    }
}
