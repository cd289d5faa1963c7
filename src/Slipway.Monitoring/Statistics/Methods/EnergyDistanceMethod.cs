namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>ed</c>: <c>scipy.stats.energy_distance(reference, current)</c> = √2 · √(Σ (F_u − F_v)² · Δx).
/// Drift is score &gt; threshold, strictly, unlike the other distances.
/// </summary>
internal sealed class EnergyDistanceMethod : IDriftMethod
{
    public string Name => "ed";

    public string DisplayName => "Energy-distance";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.ScoreAbove;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Numerical;

    public DriftScore Score(DriftSample sample)
    {
        NumericGuard.Require(sample, Name);
        var squared = CdfDistance.Sum(sample.ReferenceSorted, sample.CurrentSorted, 2);
        return new DriftScore(Math.Sqrt(2) * Math.Sqrt(squared));
    }
}
