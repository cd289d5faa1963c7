using Slipway.Tracking.Domain;
using Slipway.Web.Components.Runs;
using Slipway.Web.Components.Shared;

namespace Slipway.Web.Pages.Compare;

/// <summary>One key of the diff table: its value in each run (null where the run lacks it), and whether they differ.</summary>
public sealed record DiffRow(string Section, string Key, IReadOnlyList<string?> Values, bool Differs);

/// <summary>Lines up the params and latest metrics of several runs by key, so differences stand out.</summary>
public static class RunDiff
{
    public const string ParamSection = "param";
    public const string MetricSection = "metric";

    public static IReadOnlyList<DiffRow> Build(IReadOnlyList<Run> runs)
    {
        var rows = new List<DiffRow>();
        foreach (var key in runs.SelectMany(r => r.Params).Select(p => p.Key).Distinct().Order(StringComparer.Ordinal))
        {
            var values = runs.Select(r => RunLookup.Param(r, key)).ToList();
            rows.Add(new DiffRow(ParamSection, key, values, values.Distinct(StringComparer.Ordinal).Skip(1).Any()));
        }
        foreach (var key in runs.SelectMany(r => r.Metrics).Select(m => m.Key).Distinct().Order(StringComparer.Ordinal))
        {
            var values = runs.Select(r => RunLookup.Metric(r, key)).ToList();
            // Compared on the stored doubles, not the rounded text, so 0.9100001 and 0.91 count as different.
            rows.Add(new DiffRow(MetricSection, key, values.Select(v => v is { } x ? UiFormat.Number(x) : null).ToList(), values.Distinct().Skip(1).Any()));
        }
        return rows;
    }
}
