namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>t_test</c> (placeholder until implemented).</summary>
internal sealed class TTestMethod : IDriftMethod
{
    public string Name => "t_test";

    public string DisplayName => "t_test";

    public double DefaultThreshold => 0.05;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Numerical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("t_test is not implemented yet.");
}
