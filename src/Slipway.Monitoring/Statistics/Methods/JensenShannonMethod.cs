namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>jensenshannon</c>: <c>scipy.spatial.distance.jensenshannon(reference, current)</c> over bin shares
/// without zero fill. It is the distance √((KL(p‖m) + KL(q‖m))/2) with m = (p + q)/2 in nats, at most √ln 2 ≈ 0.8326,
/// not the divergence that Evidently's release notes name.
/// </summary>
internal sealed class JensenShannonMethod : IDriftMethod
{
    public string Name => "jensenshannon";

    public string DisplayName => "Jensen-Shannon distance";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.ScoreAtLeast;

    public bool IsRegisteredFor(ColumnType type) => type is ColumnType.Numerical or ColumnType.Categorical;

    public DriftScore Score(DriftSample sample)
    {
        NumericGuard.RequireValues(sample, Name);
        var (p, q) = Binning.Shares(sample, fillZeroes: false);
        Divergence.Normalise(p);
        Divergence.Normalise(q);
        double left = 0, right = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var m = (p[i] + q[i]) / 2.0;
            left += Divergence.RelativeEntropy(p[i], m);
            right += Divergence.RelativeEntropy(q[i], m);
        }
        return new DriftScore(Math.Sqrt((left + right) / 2.0));
    }
}
