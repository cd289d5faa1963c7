namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>wasserstein</c> (placeholder until implemented).</summary>
internal sealed class WassersteinMethod : IDriftMethod
{
    public string Name => "wasserstein";

    public string DisplayName => "Wasserstein distance (normed)";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.ScoreAtLeast;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Numerical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("wasserstein is not implemented yet.");
}
