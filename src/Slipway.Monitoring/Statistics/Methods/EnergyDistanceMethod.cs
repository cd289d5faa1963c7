namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>ed</c> (placeholder until implemented).</summary>
internal sealed class EnergyDistanceMethod : IDriftMethod
{
    public string Name => "ed";

    public string DisplayName => "Energy-distance";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.ScoreAbove;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Numerical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("ed is not implemented yet.");
}
