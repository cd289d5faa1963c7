using Slipway.Tracking.Domain;
using Slipway.Web.Components.Shared.Charts;

namespace Slipway.Web.Components.Runs;

/// <summary>What a metric chart's x axis shows.</summary>
public enum MetricXAxis
{
    /// <summary>The step logged with each value.</summary>
    Step,

    /// <summary>Seconds since the metric's first value.</summary>
    Relative,

    /// <summary>The wall-clock time of each value.</summary>
    Wall,
}

/// <summary>Turns a (sampled) metric history into a chart line for the chosen x axis.</summary>
public static class MetricSeries
{
    public static ChartSeries Build(string key, IReadOnlyList<Metric> points, MetricXAxis axis)
    {
        var x = new double[points.Count];
        var y = new double[points.Count];
        var first = points.Count > 0 ? points.Min(p => p.Timestamp) : 0;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            x[i] = axis switch
            {
                MetricXAxis.Relative => (point.Timestamp - first) / 1000.0,
                MetricXAxis.Wall => point.Timestamp,
                _ => point.Step,
            };
            y[i] = point.Value;
        }
        return new ChartSeries(key, x, y);
    }
}
