namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>ks</c> (placeholder until implemented).</summary>
internal sealed class KsMethod : IDriftMethod
{
    public string Name => "ks";

    public string DisplayName => "K-S p_value";

    public double DefaultThreshold => 0.05;

    public DriftRule Rule => DriftRule.PValueAtMost;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Numerical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("ks is not implemented yet.");
}
