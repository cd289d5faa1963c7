namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>chisquare</c> (placeholder until implemented).</summary>
internal sealed class ChiSquareMethod : IDriftMethod
{
    public string Name => "chisquare";

    public string DisplayName => "chi-square p_value";

    public double DefaultThreshold => 0.05;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Categorical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("chisquare is not implemented yet.");
}
