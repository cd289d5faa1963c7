namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>kl_div</c>: <c>scipy.stats.entropy(reference, current)</c>, i.e. KL(r ‖ c) in nats after SciPy
/// renormalises both zero-filled share vectors to sum 1 (the zero fill leaves them slightly above 1).
/// </summary>
internal sealed class KlDivMethod : IDriftMethod
{
    public string Name => "kl_div";

    public string DisplayName => "Kullback-Leibler divergence";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.ScoreAtLeast;

    public bool IsRegisteredFor(ColumnType type) => type is ColumnType.Numerical or ColumnType.Categorical;

    public DriftScore Score(DriftSample sample)
    {
        NumericGuard.RequireValues(sample, Name);
        var (reference, current) = Binning.Shares(sample, fillZeroes: true);
        Divergence.Normalise(reference);
        Divergence.Normalise(current);
        var kl = 0.0;
        for (var i = 0; i < reference.Length; i++)
            kl += Divergence.RelativeEntropy(reference[i], current[i]);
        return new DriftScore(kl);
    }
}
