namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>TVD</c> (placeholder until implemented).</summary>
internal sealed class TvdMethod : IDriftMethod
{
    public string Name => "TVD";

    public string DisplayName => "Total-Variation-Distance";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Categorical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("TVD is not implemented yet.");
}
