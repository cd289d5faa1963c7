using Slipway.Monitoring.Statistics.Special;

namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>t_test</c>: <c>scipy.stats.ttest_ind(reference, current)</c> with pooled variance, two-sided.
/// Means and variances are summed in NumPy's pairwise order, so two equal constant columns have variance exactly 0
/// and the statistic 0/0 gives NaN, as in Evidently.
/// </summary>
internal sealed class TTestMethod : IDriftMethod
{
    public string Name => "t_test";

    public string DisplayName => "t_test";

    public double DefaultThreshold => 0.05;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Numerical;

    public DriftScore Score(DriftSample sample)
    {
        var reference = sample.ReferenceNumbers ?? throw new DriftMethodException("t_test needs a numerical column.");
        var current = sample.CurrentNumbers!;
        if (reference.Length == 0 || current.Length == 0)
            throw new DriftMethodException("t_test needs values in both reference and current data.");

        var mean1 = PairwiseSum.Mean(reference);
        var mean2 = PairwiseSum.Mean(current);
        var variance1 = PairwiseSum.Variance(reference, mean1, ddof: 1);
        var variance2 = PairwiseSum.Variance(current, mean2, ddof: 1);
        int n1 = reference.Length, n2 = current.Length;

        var degreesOfFreedom = n1 + n2 - 2.0;
        var pooledVariance = ((n1 - 1) * variance1 + (n2 - 1) * variance2) / degreesOfFreedom;
        var standardError = Math.Sqrt(pooledVariance * (1.0 / n1 + 1.0 / n2));
        var t = (mean1 - mean2) / standardError;
        var p = StudentT.Cdf(degreesOfFreedom, -Math.Abs(t)) * 2;
        return new DriftScore(p, t);
    }
}
