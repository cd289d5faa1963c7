using Slipway.Monitoring.Statistics.Special;

namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>wasserstein</c>: <c>scipy.stats.wasserstein_distance(reference, current)</c> divided by
/// max(σ_reference, 0.001), σ the population standard deviation (ddof 0). The floor makes a constant reference give
/// distance/0.001, e.g. 1000 for constants one apart.
/// </summary>
internal sealed class WassersteinMethod : IDriftMethod
{
    private const double MinimumNorm = 0.001;

    public string Name => "wasserstein";

    public string DisplayName => "Wasserstein distance (normed)";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.ScoreAtLeast;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Numerical;

    public DriftScore Score(DriftSample sample)
    {
        NumericGuard.Require(sample, Name);
        var reference = sample.ReferenceNumbers!;
        var mean = PairwiseSum.Mean(reference);
        var std = Math.Sqrt(PairwiseSum.Variance(reference, mean, 0));
        var distance = CdfDistance.Sum(sample.ReferenceSorted, sample.CurrentSorted, 1);
        return new DriftScore(distance / Math.Max(std, MinimumNorm));
    }
}
