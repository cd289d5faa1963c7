namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>kl_div</c> (placeholder until implemented).</summary>
internal sealed class KlDivMethod : IDriftMethod
{
    public string Name => "kl_div";

    public string DisplayName => "Kullback-Leibler divergence";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.ScoreAtLeast;

    public bool IsRegisteredFor(ColumnType type) => type is ColumnType.Numerical or ColumnType.Categorical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("kl_div is not implemented yet.");
}
