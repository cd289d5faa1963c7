namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>mannw</c> (placeholder until implemented).</summary>
internal sealed class MannWhitneyMethod : IDriftMethod
{
    public string Name => "mannw";

    public string DisplayName => "Mann-Whitney U-rank test";

    public double DefaultThreshold => 0.05;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Numerical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("mannw is not implemented yet.");
}
