using System.Globalization;
using Slipway.Tracking.Domain;
using Slipway.Web.Components.Runs;

namespace Slipway.Web.Pages.Compare;

/// <summary>One vertical axis of a parallel-coordinates plot: a value per plotted run, and for a categorical axis the
/// label of each index.</summary>
public sealed record ParallelAxis(string Label, IReadOnlyList<double> Values, IReadOnlyList<string>? Categories);

/// <summary>The axes of a parallel-coordinates plot, and which runs are on it.</summary>
public sealed record ParallelAxes(IReadOnlyList<ParallelAxis> Axes, IReadOnlyList<Run> Runs, IReadOnlyList<double> MetricValues, int RunsWithoutMetric)
{
    /// <summary>More axes than this are unreadable at page width; params that differ between runs come first.</summary>
    public const int MaxParamAxes = 12;

    private const string Missing = "(none)";

    /// <summary>
    /// One axis per param (numbers when every run has a numeric value, else categories in sorted order mapped to
    /// indices) and a last axis for <paramref name="metricKey"/>. Runs without that metric cannot be coloured, so
    /// they are left out and counted.
    /// </summary>
    public static ParallelAxes Build(IReadOnlyList<Run> runs, string metricKey)
    {
        var plotted = new List<Run>();
        var metricValues = new List<double>();
        foreach (var run in runs)
        {
            if (RunLookup.Metric(run, metricKey) is not { } value || !double.IsFinite(value))
                continue;
            plotted.Add(run);
            metricValues.Add(value);
        }
        var axes = new List<ParallelAxis>();
        foreach (var key in ChooseParams(plotted))
            axes.Add(ParamAxis(plotted, key));
        axes.Add(new ParallelAxis(metricKey, metricValues, null));
        return new ParallelAxes(axes, plotted, metricValues, runs.Count - plotted.Count);
    }

    private static List<string> ChooseParams(IReadOnlyList<Run> runs)
    {
        var keys = runs.SelectMany(r => r.Params).Select(p => p.Key).Distinct().Order(StringComparer.Ordinal).ToList();
        // A param with one value across all runs is a flat line that says nothing; show it only when nothing varies.
        var varying = keys.Where(k => runs.Select(r => RunLookup.Param(r, k)).Distinct(StringComparer.Ordinal).Skip(1).Any()).ToList();
        return (varying.Count > 0 ? varying : keys).Take(MaxParamAxes).ToList();
    }

    private static ParallelAxis ParamAxis(IReadOnlyList<Run> runs, string key)
    {
        var raw = runs.Select(r => RunLookup.Param(r, key)).ToList();
        var numbers = new List<double>(raw.Count);
        foreach (var value in raw)
        {
            if (value is null || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                break;
            numbers.Add(number);
        }
        if (numbers.Count == raw.Count)
            return new ParallelAxis(key, numbers, null);
        var categories = raw.Select(v => v ?? Missing).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var indices = raw.Select(v => (double)categories.IndexOf(v ?? Missing)).ToList();
        return new ParallelAxis(key, indices, categories);
    }
}
