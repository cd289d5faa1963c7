using Slipway.Monitoring.Statistics.Special;

namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>chisquare</c>: Pearson's goodness-of-fit of the current counts against the reference counts
/// rescaled to the current size, over every value seen on either side (<c>scipy.stats.chisquare</c>, df = k − 1).
/// A value absent from the reference has expected count 0, so the statistic is infinite and p = 0; a single value
/// leaves no degrees of freedom and gives NaN, which is never drift.
/// </summary>
internal sealed class ChiSquareMethod : IDriftMethod
{
    public string Name => "chisquare";

    public string DisplayName => "chi-square p_value";

    public double DefaultThreshold => 0.05;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Categorical;

    public DriftScore Score(DriftSample sample)
    {
        if (sample.ReferenceCount == 0 || sample.CurrentCount == 0)
            throw new DriftMethodException("chisquare needs values in both reference and current data.");

        var table = sample.Categories;
        var scale = (double)sample.CurrentCount / sample.ReferenceCount;
        var statistic = 0.0;
        for (var i = 0; i < table.Count; i++)
        {
            var expected = table.ReferenceCounts[i] * scale;
            var difference = table.CurrentCounts[i] - expected;
            statistic += difference * difference / expected;
        }
        return new DriftScore(Distributions.ChiSquaredSf(statistic, table.Count - 1), statistic);
    }
}
