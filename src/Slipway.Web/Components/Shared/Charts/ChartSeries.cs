namespace Slipway.Web.Components.Shared.Charts;

/// <summary>One line of a chart. <see cref="X"/> is a step, a number of seconds, or Unix milliseconds when the
/// chart's X axis is a time axis. <see cref="Color"/> (a CSS colour) pins the line's colour, e.g. one colour per
/// run across several charts; without it plotly's colour order applies.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, string? Color = null);

/// <summary>Smoothing as TensorBoard and MLflow do it: an exponential moving average, debiased at the start.</summary>
public static class Smoothing
{
    /// <summary>Smooths <paramref name="values"/> with weight 0 (none) to just under 1 (heavy); NaN and ±∞ pass through
    /// without disturbing the average.</summary>
    public static double[] Ema(IReadOnlyList<double> values, double weight)
    {
        var result = new double[values.Count];
        if (weight <= 0)
        {
            for (var i = 0; i < result.Length; i++)
                result[i] = values[i];
            return result;
        }
        weight = Math.Min(weight, 0.999);
        double last = 0, debias = 0;
        for (var i = 0; i < result.Length; i++)
        {
            var value = values[i];
            if (!double.IsFinite(value))
            {
                result[i] = value;
                continue;
            }
            last = last * weight + (1 - weight) * value;
            debias = debias * weight + (1 - weight);
            result[i] = last / debias;
        }
        return result;
    }
}
