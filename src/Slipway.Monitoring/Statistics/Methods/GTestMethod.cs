namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>g_test</c> (placeholder until implemented).</summary>
internal sealed class GTestMethod : IDriftMethod
{
    public string Name => "g_test";

    public string DisplayName => "g_test";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Categorical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("g_test is not implemented yet.");
}
