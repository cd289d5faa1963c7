namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>fisher_exact</c> (placeholder until implemented).</summary>
internal sealed class FisherExactMethod : IDriftMethod
{
    public string Name => "fisher_exact";

    public string DisplayName => "Fisher's Exact test";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Categorical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("fisher_exact is not implemented yet.");
}
