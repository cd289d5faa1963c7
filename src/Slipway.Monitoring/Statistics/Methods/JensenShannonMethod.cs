namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>jensenshannon</c> (placeholder until implemented).</summary>
internal sealed class JensenShannonMethod : IDriftMethod
{
    public string Name => "jensenshannon";

    public string DisplayName => "Jensen-Shannon distance";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.ScoreAtLeast;

    public bool IsRegisteredFor(ColumnType type) => type is ColumnType.Numerical or ColumnType.Categorical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("jensenshannon is not implemented yet.");
}
