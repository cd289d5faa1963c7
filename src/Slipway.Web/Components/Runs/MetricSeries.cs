using Slipway.Tracking.Domain;
using Slipway.Web.Components.Shared.Charts;

namespace Slipway.Web.Components.Runs;

/// <summary>What a metric chart's x axis shows.</summary>
public enum MetricXAxis
{
    /// <summary>The step logged with each value.</summary>
    Step,

    /// <summary>Seconds since the run started.</summary>
    Relative,

    /// <summary>The wall-clock time of each value.</summary>
    Wall,
}

/// <summary>Turns a (sampled) metric history into a chart line for the chosen x axis; the run page and the compare
/// page draw the same axis the same way.</summary>
public static class MetricSeries
{
    /// <summary>The axes offered, with their labels.</summary>
    public static readonly (MetricXAxis Axis, string Label)[] Axes =
        [(MetricXAxis.Step, "Step"), (MetricXAxis.Relative, "Time since run start"), (MetricXAxis.Wall, "Wall time")];

    /// <summary>The axis title under a chart.</summary>
    public static string Title(MetricXAxis axis) => axis switch
    {
        MetricXAxis.Relative => "seconds since run start",
        MetricXAxis.Wall => "time (UTC)",
        _ => "step",
    };

    /// <summary>
    /// The line of <paramref name="points"/>. Relative time counts from <paramref name="runStartMs"/>, or from the
    /// first value when the run has no start time.
    /// </summary>
    public static ChartSeries Build(string name, IReadOnlyList<Metric> points, MetricXAxis axis, long? runStartMs)
    {
        var x = new double[points.Count];
        var y = new double[points.Count];
        var origin = runStartMs is { } start and > 0 ? start : points.Count > 0 ? points.Min(p => p.Timestamp) : 0;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            x[i] = axis switch
            {
                MetricXAxis.Relative => (point.Timestamp - origin) / 1000.0,
                MetricXAxis.Wall => point.Timestamp,
                _ => point.Step,
            };
            y[i] = point.Value;
        }
        return new ChartSeries(name, x, y);
    }
}
