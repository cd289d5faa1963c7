namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>z</c> (placeholder until implemented).</summary>
internal sealed class ZMethod : IDriftMethod
{
    public string Name => "z";

    public string DisplayName => "Z-test p_value";

    public double DefaultThreshold => 0.05;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Categorical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("z is not implemented yet.");
}
