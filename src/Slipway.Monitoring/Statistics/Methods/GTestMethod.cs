using Slipway.Monitoring.Statistics.Special;

namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>g_test</c>: <c>scipy.stats.power_divergence(current_counts, f_exp=reference_counts,
/// lambda_="log-likelihood")</c>. Evidently passes the reference counts without rescaling them, and SciPy refuses
/// observed and expected totals that differ by more than 1e-8 relative, so the test only runs when both sides have
/// the same number of values. One category gives NaN (no degrees of freedom).
/// </summary>
internal sealed class GTestMethod : IDriftMethod
{
    private const double TotalsTolerance = 1e-8;

    public string Name => "g_test";

    public string DisplayName => "g_test";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Categorical;

    public DriftScore Score(DriftSample sample)
    {
        double observedTotal = sample.CurrentCount, expectedTotal = sample.ReferenceCount;
        var relativeDifference = Math.Abs(observedTotal - expectedTotal) / Math.Min(observedTotal, expectedTotal);
        if (!(relativeDifference <= TotalsTolerance))
        {
            throw new DriftMethodException(
                "For each axis slice, the sum of the observed frequencies must agree with the sum of the expected " +
                $"frequencies to a relative tolerance of {TotalsTolerance:R}; the reference has {sample.ReferenceCount} " +
                $"values and the current data {sample.CurrentCount}.");
        }

        var table = sample.Categories;
        var statistic = 0.0;
        for (var i = 0; i < table.Count; i++)
        {
            double observed = table.CurrentCounts[i], expected = table.ReferenceCounts[i];
            // xlogy(0, ·) is 0: a category seen only in the reference adds nothing; one seen only in the current
            // data divides by zero and makes the statistic infinite.
            if (observed != 0)
                statistic += 2.0 * (observed * Math.Log(observed / expected));
        }
        return new DriftScore(Distributions.ChiSquaredSf(statistic, table.Count - 1), statistic);
    }
}
