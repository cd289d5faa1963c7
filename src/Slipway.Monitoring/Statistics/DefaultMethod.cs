namespace Slipway.Monitoring.Statistics;

/// <summary>
/// Evidently's automatic method choice (<c>_get_default_stattest</c>), made on the cleaned values:
/// <list type="bullet">
/// <item>reference of at most 1000 values: numerical → z for ≤ 2 distinct values in reference ∪ current, chisquare for 3–5, ks above;
/// categorical → z for ≤ 2, else chisquare;</item>
/// <item>larger reference: numerical → jensenshannon for ≤ 5 distinct values, else wasserstein; categorical → jensenshannon.</item>
/// </list>
/// z and chisquare are registered for categorical columns only, yet this path calls them on numerical ones too.
/// </summary>
public static class DefaultMethod
{
    public const int SmallReferenceLimit = 1000;

    /// <returns>The method, or null for a text column (Evidently's text drift trains a classifier; Slipway does not).</returns>
    public static IDriftMethod? Select(ColumnType type, int referenceCount, int uniqueCombined)
    {
        if (type is not (ColumnType.Numerical or ColumnType.Categorical))
            return null;
        if (referenceCount <= SmallReferenceLimit)
        {
            if (uniqueCombined <= 2)
                return DriftMethods.Z;
            return type == ColumnType.Numerical && uniqueCombined > 5 ? DriftMethods.Ks : DriftMethods.ChiSquare;
        }
        if (type == ColumnType.Categorical || uniqueCombined <= 5)
            return DriftMethods.JensenShannon;
        return DriftMethods.Wasserstein;
    }
}
