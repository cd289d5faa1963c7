namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>hellinger</c>: √(1 − clip(BC, 0, 1)) with the Bhattacharyya coefficient BC taken two ways.
/// Categorical: Σ √(p·q) over the value shares. Numerical: Sturges edges over the <em>distinct</em> values of
/// reference ∪ current (so the bin count follows the number of distinct values, not of rows), <c>density=True</c>
/// histograms d (count / bin width / total), and BC = Σ √(d_ref·d_cur)·w with w = (last − first edge) / bins.
/// </summary>
internal sealed class HellingerMethod : IDriftMethod
{
    public string Name => "hellinger";

    public string DisplayName => "Hellinger distance";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.ScoreAtLeast;

    public bool IsRegisteredFor(ColumnType type) => type is ColumnType.Numerical or ColumnType.Categorical;

    public DriftScore Score(DriftSample sample)
    {
        NumericGuard.RequireValues(sample, Name);
        var coefficient = sample.Type == ColumnType.Categorical ? CategoricalCoefficient(sample) : NumericalCoefficient(sample);
        return new DriftScore(Math.Sqrt(1 - Math.Clamp(coefficient, 0, 1)));
    }

    private static double CategoricalCoefficient(DriftSample sample)
    {
        var table = sample.Categories;
        double n = sample.ReferenceCount, m = sample.CurrentCount;
        var coefficient = 0.0;
        for (var k = 0; k < table.Count; k++)
            coefficient += Math.Sqrt(table.ReferenceCounts[k] / n * (table.CurrentCounts[k] / m));
        return coefficient;
    }

    private static double NumericalCoefficient(DriftSample sample)
    {
        NumericGuard.Require(sample, "hellinger");
        var reference = sample.ReferenceSorted;
        var current = sample.CurrentSorted;
        var distinct = UniqueCounts.Count(reference, current).Combined;
        var edges = Binning.SturgesEdges(Math.Min(reference[0], current[0]), Math.Max(reference[^1], current[^1]), distinct);
        var referenceDensity = Density(Binning.CountInBins(reference, edges), edges);
        var currentDensity = Density(Binning.CountInBins(current, edges), edges);
        var binWidth = (edges[^1] - edges[0]) / (edges.Length - 1);
        var coefficient = 0.0;
        for (var i = 0; i < referenceDensity.Length; i++)
            coefficient += Math.Sqrt(referenceDensity[i] * currentDensity[i]) * binWidth;
        return coefficient;
    }

    /// <summary><c>np.histogram(..., density=True)</c>: count / bin width / total count.</summary>
    private static double[] Density(long[] counts, double[] edges)
    {
        double total = counts.Sum();
        var density = new double[counts.Length];
        for (var i = 0; i < counts.Length; i++)
            density[i] = counts[i] / (edges[i + 1] - edges[i]) / total;
        return density;
    }
}
