namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>cramer_von_mises</c> (placeholder until implemented).</summary>
internal sealed class CramerVonMisesMethod : IDriftMethod
{
    public string Name => "cramer_von_mises";

    public string DisplayName => "Cramer-von Mises";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.PValueAtMost;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Numerical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("cramer_von_mises is not implemented yet.");
}
