namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>anderson</c> (placeholder until implemented).</summary>
internal sealed class AndersonMethod : IDriftMethod
{
    public string Name => "anderson";

    public string DisplayName => "Anderson-Darling";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Numerical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("anderson is not implemented yet.");
}
