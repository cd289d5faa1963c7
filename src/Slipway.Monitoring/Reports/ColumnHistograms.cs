using System.Globalization;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Reports;

/// <summary>
/// One column's reference and current distributions on shared bins, for a report's side-by-side bars.
/// Numeric columns have equal-width bins over the combined finite range (<see cref="Edges"/> holds
/// <c>Labels.Count + 1</c> bounds; bins are <c>[a, b)</c> except the last, which is closed); categorical ones have
/// the most frequent categories, with the rest folded into a last "other" bin when <see cref="OtherCategories"/> &gt; 0.
/// Shares are fractions of each side's present values (they sum to 1 unless a side has none); missing values
/// (empty, NaN, ±Infinity, which drift tests drop too) are counted apart as a share of all rows.
/// </summary>
public sealed record ColumnHistogram(
    ColumnType Type,
    IReadOnlyList<string> Labels,
    IReadOnlyList<double>? Edges,
    IReadOnlyList<double> ReferenceShares,
    IReadOnlyList<double> CurrentShares,
    long ReferenceValues,
    long CurrentValues,
    double ReferenceMissingShare,
    double CurrentMissingShare,
    int OtherCategories = 0)
{
    /// <summary>True for equal-width numeric bins, false for categories.</summary>
    public bool IsNumeric => Edges is not null;

    public int BinCount => Labels.Count;
}

/// <summary>
/// Builds <see cref="ColumnHistogram"/>s: one pass for the range and one for the counts per numeric column, one
/// dictionary pass per categorical column, columns in parallel. Nothing is sorted or copied, so a million rows cost
/// a few milliseconds per column.
/// </summary>
public static partial class ColumnHistograms
{
    /// <summary>At most this many bars per side: enough to see a shift, few enough to keep 100 columns' SVG small.</summary>
    public const int MaxBins = 20;

    /// <summary>Histograms of every column the drift result names that both frames hold, keyed by column name.</summary>
    public static IReadOnlyDictionary<string, ColumnHistogram> ForDrift(DataFrame reference, DataFrame current, DriftResult drift)
    {
        var columns = drift.Columns;
        var results = new ColumnHistogram?[columns.Count];
        Parallel.For(0, columns.Count, i =>
        {
            var referenceColumn = reference.Find(columns[i].Column);
            var currentColumn = current.Find(columns[i].Column);
            if (referenceColumn is not null && currentColumn is not null)
                results[i] = Compute(referenceColumn, currentColumn, columns[i].Type);
        });

        var byName = new Dictionary<string, ColumnHistogram>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            if (results[i] is { } histogram)
                byName[columns[i].Column] = histogram;
        }
        return byName;
    }

    /// <summary>
    /// Numerical columns stored as numbers get equal-width bins; everything else (categorical, text, unknown, or a
    /// numerical type forced onto strings) gets categories.
    /// </summary>
    public static ColumnHistogram Compute(DataColumn reference, DataColumn current, ColumnType type)
    {
        if (type == ColumnType.Numerical && reference.Numbers is { } referenceNumbers && current.Numbers is { } currentNumbers)
            return Numeric(type, referenceNumbers, currentNumbers);
        return Categorical(reference, current, type);
    }

    private static ColumnHistogram Numeric(ColumnType type, double[] reference, double[] current)
    {
        var (referenceMin, referenceMax, referenceValues) = FiniteRange(reference);
        var (currentMin, currentMax, currentValues) = FiniteRange(current);
        var total = referenceValues + currentValues;
        if (total == 0)
            return new ColumnHistogram(type, [], [], [], [], 0, 0, MissingShare(0, reference.Length), MissingShare(0, current.Length));

        var min = Math.Min(referenceMin, currentMin);
        var max = Math.Max(referenceMax, currentMax);
        // Sturges' rule (what Evidently bins with) capped at MaxBins; a constant column, or a range wider than a
        // double can hold, is one bin.
        var bins = max > min && double.IsFinite(max - min) ? (int)Math.Clamp(Math.Ceiling(Math.Log2(total) + 1), 1, MaxBins) : 1;
        var edges = new double[bins + 1];
        for (var b = 0; b <= bins; b++)
            edges[b] = b == bins ? max : min + (max - min) * b / bins;

        var referenceCounts = CountBins(reference, min, max, bins);
        var currentCounts = CountBins(current, min, max, bins);
        var labels = new string[bins];
        for (var b = 0; b < bins; b++)
            labels[b] = $"{Short(edges[b])} – {Short(edges[b + 1])}";
        return new ColumnHistogram(type, labels, edges, Shares(referenceCounts, referenceValues), Shares(currentCounts, currentValues),
            referenceValues, currentValues, MissingShare(referenceValues, reference.Length), MissingShare(currentValues, current.Length));
    }

    private static (double Min, double Max, long Count) FiniteRange(double[] values)
    {
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        long count = 0;
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
                continue;
            count++;
            if (value < min)
                min = value;
            if (value > max)
                max = value;
        }
        return (min, max, count);
    }

    private static long[] CountBins(double[] values, double min, double max, int bins)
    {
        var counts = new long[bins];
        var scale = max > min ? bins / (max - min) : 0;
        var last = bins - 1;
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
                continue;
            // The maximum lands on index `bins`; it belongs to the last, closed bin.
            var index = (int)((value - min) * scale);
            counts[index > last ? last : index]++;
        }
        return counts;
    }

    private static double[] Shares(long[] counts, long values)
    {
        var shares = new double[counts.Length];
        if (values == 0)
            return shares;
        for (var i = 0; i < counts.Length; i++)
            shares[i] = (double)counts[i] / values;
        return shares;
    }

    private static double MissingShare(long present, long rows) => rows == 0 ? 0 : (double)(rows - present) / rows;

    /// <summary>A bin bound short enough for a tooltip; the exact edges are in the JSON.</summary>
    private static string Short(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
