namespace Slipway.Monitoring.Statistics;

/// <summary>
/// Evidently's <c>get_binned_data</c> and the NumPy histogram pieces it relies on, reproduced in NumPy's own double
/// arithmetic so the bin edges (and so psi, kl_div, jensenshannon and hellinger) agree to the last bit:
/// <list type="bullet">
/// <item>a numerical column with more than 20 distinct reference values gets Sturges equal-width bins over the combined
/// min..max (<c>np.histogram_bin_edges(concat, "sturges")</c>), not reference quantiles as Evidently's docstring says,
/// and the methods' <c>n_bins</c> is ignored;</item>
/// <item>everything else gets one bin per distinct value of reference ∪ current;</item>
/// <item>psi and kl_div then replace empty bins, per side, with min-share/10⁶ (or 10⁻⁴ when the smallest share is
/// above 10⁻⁴), without renormalising.</item>
/// </list>
/// </summary>
public static class Binning
{
    /// <summary>Evidently switches to equal-width bins above this many distinct reference values.</summary>
    public const int PerValueBinLimit = 20;

    /// <summary>Bin shares of reference and current (count / sample size), optionally zero-filled.</summary>
    public static (double[] Reference, double[] Current) Shares(DriftSample sample, bool fillZeroes)
    {
        double[] reference;
        double[] current;
        if (sample.Type == ColumnType.Numerical && sample.IsNumeric && HasMoreDistinctThan(sample.ReferenceSorted, PerValueBinLimit))
        {
            var referenceSorted = sample.ReferenceSorted;
            var currentSorted = sample.CurrentSorted;
            var edges = SturgesEdges(
                Math.Min(referenceSorted[0], currentSorted[0]),
                Math.Max(referenceSorted[^1], currentSorted[^1]),
                referenceSorted.Length + currentSorted.Length);
            reference = ToShares(CountInBins(referenceSorted, edges), referenceSorted.Length);
            current = ToShares(CountInBins(currentSorted, edges), currentSorted.Length);
        }
        else
        {
            var table = sample.Categories;
            reference = ToShares(table.ReferenceCounts, sample.ReferenceCount);
            current = ToShares(table.CurrentCounts, sample.CurrentCount);
        }
        if (fillZeroes)
        {
            FillZeroes(reference);
            FillZeroes(current);
        }
        return (reference, current);
    }

    /// <summary>
    /// <c>np.histogram_bin_edges(a, bins="sturges")</c> for data spanning <paramref name="min"/>..<paramref name="max"/>
    /// with <paramref name="count"/> values: width = ptp/(log2(n)+1), k = ceil(ptp/width) (two roundings, which is not
    /// always ceil(log2(n)+1)), then <c>np.linspace</c>: edge i = i·(span/k) + first, last edge = last. A zero range
    /// is widened to ±0.5 around the value, with one bin.
    /// </summary>
    public static double[] SturgesEdges(double min, double max, long count)
    {
        var ptp = max - min;
        var first = min;
        var last = max;
        if (first == last)
        {
            first -= 0.5;
            last += 0.5;
        }
        var width = ptp / (Math.Log2(count) + 1.0);
        var bins = width != 0 ? (int)Math.Ceiling((last - first) / width) : 1;
        var edges = new double[bins + 1];
        var step = (last - first) / bins;
        for (var i = 0; i < bins; i++)
            edges[i] = (i * step) + first;
        edges[bins] = last;
        return edges;
    }

    /// <summary>
    /// <c>np.histogram(values, edges)[0]</c> for explicit edges: bin i holds edges[i] ≤ x &lt; edges[i+1], the last bin
    /// also x = its upper edge; values outside are not counted. NumPy compares with the edges (searchsorted) rather than
    /// computing an index, and so does this.
    /// </summary>
    public static long[] CountInBins(double[] sorted, double[] edges)
    {
        var counts = new long[edges.Length - 1];
        var below = LowerBound(sorted, edges[0]);
        for (var i = 0; i < counts.Length; i++)
        {
            var upTo = i == counts.Length - 1 ? UpperBound(sorted, edges[i + 1]) : LowerBound(sorted, edges[i + 1]);
            counts[i] = upTo - below;
            below = upTo;
        }
        return counts;
    }

    /// <summary>Zeros become m/10⁶ where m, the smallest non-zero share, is at most 10⁻⁴, else 10⁻⁴.</summary>
    public static void FillZeroes(double[] shares)
    {
        var smallest = double.PositiveInfinity;
        foreach (var share in shares)
        {
            if (share != 0 && share < smallest)
                smallest = share;
        }
        if (double.IsPositiveInfinity(smallest))
            return;
        var fill = smallest <= 0.0001 ? smallest / 1e6 : 0.0001;
        for (var i = 0; i < shares.Length; i++)
        {
            if (shares[i] == 0)
                shares[i] = fill;
        }
    }

    private static bool HasMoreDistinctThan(double[] sorted, int limit)
    {
        var distinct = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if ((i == 0 || sorted[i] != sorted[i - 1]) && ++distinct > limit)
                return true;
        }
        return false;
    }

    private static double[] ToShares(long[] counts, int total)
    {
        var shares = new double[counts.Length];
        for (var i = 0; i < counts.Length; i++)
            shares[i] = counts[i] / (double)total;
        return shares;
    }

    /// <summary>How many values are &lt; <paramref name="value"/>.</summary>
    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }

    /// <summary>How many values are ≤ <paramref name="value"/>.</summary>
    private static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
}
