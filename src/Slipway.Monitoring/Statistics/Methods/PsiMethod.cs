namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>Evidently's <c>psi</c> (placeholder until implemented).</summary>
internal sealed class PsiMethod : IDriftMethod
{
    public string Name => "psi";

    public string DisplayName => "PSI";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.ScoreAtLeast;

    public bool IsRegisteredFor(ColumnType type) => type is ColumnType.Numerical or ColumnType.Categorical;

    public DriftScore Score(DriftSample sample) => throw new NotImplementedException("psi is not implemented yet.");
}
