namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>hellinger</c> (placeholder until implemented).</summary>
internal sealed class HellingerMethod : IDriftMethod
{
    public string Name => "hellinger";

    public string DisplayName => "Hellinger distance";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.ScoreAtLeast;

    public bool IsRegisteredFor(ColumnType type) => type is ColumnType.Numerical or ColumnType.Categorical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("hellinger is not implemented yet.");
}
