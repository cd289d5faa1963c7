namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>psi</c>: Σ (r − c)·ln(r / c) over zero-filled bin shares (see <see cref="Binning"/>). Per-value bins
/// on a small continuous sample make it large: every value is its own bin, empty on the other side.
/// </summary>
internal sealed class PsiMethod : IDriftMethod
{
    public string Name => "psi";

    public string DisplayName => "PSI";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.ScoreAtLeast;

    public bool IsRegisteredFor(ColumnType type) => type is ColumnType.Numerical or ColumnType.Categorical;

    public DriftScore Score(DriftSample sample)
    {
        NumericGuard.RequireValues(sample, Name);
        var (reference, current) = Binning.Shares(sample, fillZeroes: true);
        var psi = 0.0;
        for (var i = 0; i < reference.Length; i++)
            psi += (reference[i] - current[i]) * Math.Log(reference[i] / current[i]);
        return new DriftScore(psi);
    }
}
