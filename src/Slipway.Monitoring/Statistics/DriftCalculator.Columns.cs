using System.Runtime.CompilerServices;
using Slipway.Monitoring.Data;

namespace Slipway.Monitoring.Statistics;

/// <summary>One column: cleaning, counts, the method run and the reasons a column is not checked.</summary>
public static partial class DriftCalculator
{
    private static ColumnDriftResult ComputeColumn(DataColumn reference, DataColumn current, ColumnType type, IDriftMethod? configured, DriftOptions options)
    {
        var name = current.Name;
        if (type == ColumnType.Numerical && (!IsNumber(reference) || !IsNumber(current)))
        {
            var side = IsNumber(reference) ? "current" : "reference";
            return NotChecked(reference, current, type, $"Column '{name}' is numerical but the {side} data holds non-numeric values in it.");
        }
        var sample = Clean(reference, current, type);
        var (uniqueReference, uniqueCurrent, uniqueCombined) = Unique(sample);
        ColumnDriftResult Result(bool isChecked, MethodResult? drift, string? error, IReadOnlyDictionary<string, MethodResult>? all = null) => new(
            name, type, isChecked, reference.Length, current.Length, sample.ReferenceCount, sample.CurrentCount,
            uniqueReference, uniqueCurrent, uniqueCombined, drift, all, error);

        switch (type)
        {
            case ColumnType.Unknown:
                return Result(false, null, $"The type of column '{name}' could not be inferred from the current data (e.g. True/False with missing values, or no values), so it is not tested.");
            case ColumnType.Text:
                return Result(false, null, $"Column '{name}' is text (most values distinct); text drift is not supported, so it is not tested. Declare it categorical to test it.");
        }
        if (sample.ReferenceCount == 0 || sample.CurrentCount == 0)
        {
            var side = sample.ReferenceCount == 0 ? "reference" : "current";
            return Result(false, null, $"Column '{name}' has no values in the {side} data after dropping missing and infinite values, so it is not tested.");
        }

        var method = configured ?? DefaultMethod.Select(type, sample.ReferenceCount, uniqueCombined)!;
        var threshold = ConfiguredThreshold(options, name, type) ?? method.DefaultThreshold;
        var drift = Run(method, sample, threshold);
        var all = options.RunAllMethods ? RunAll(sample, method, drift) : null;
        return Result(drift.Error is null, drift, drift.Error, all);
    }

    private static ColumnDriftResult NotChecked(DataColumn reference, DataColumn current, ColumnType type, string error) =>
        new(current.Name, type, false, reference.Length, current.Length, 0, 0, 0, 0, 0, null, null, error);

    /// <summary>pandas' <c>is_numeric_dtype</c>: numbers and plain bools; an object column of bools is not.</summary>
    private static bool IsNumber(DataColumn column) => column.IsNumeric && column.Dtype != ColumnDtype.NullableBool;

    /// <summary>
    /// Drops missing values and ±Infinity from each side. Numbers come out sorted: no drift test depends on row order,
    /// and <see cref="DriftSample"/>'s own comparison sort costs a fraction on ordered data, so <see cref="DoubleSort"/>
    /// (about three times faster on random order) does the real work; sorting is most of a large calculation's cost.
    /// </summary>
    private static DriftSample Clean(DataColumn reference, DataColumn current, ColumnType type)
    {
        if (reference.IsNumeric && current.IsNumeric)
            return DriftSample.FromNumbers(type, SortedFinite(reference.Numbers!), SortedFinite(current.Numbers!));
        return DriftSample.FromStrings(type, Present(reference), Present(current));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] SortedFinite(double[] values)
    {
        var kept = 0;
        foreach (var value in values)
        {
            if (double.IsFinite(value))
                kept++;
        }
        var finite = GC.AllocateUninitializedArray<double>(kept);
        if (kept == values.Length)
        {
            values.CopyTo(finite, 0);
        }
        else
        {
            kept = 0;
            foreach (var value in values)
            {
                if (double.IsFinite(value))
                    finite[kept++] = value;
            }
        }
        DoubleSort.Sort(finite);
        return finite;
    }

    /// <summary>The non-missing values as strings; a numeric side is turned into its display text to meet a text side.</summary>
    private static string[] Present(DataColumn column)
    {
        if (column.IsNumeric)
        {
            var texts = new List<string>(column.Length);
            for (var row = 0; row < column.Length; row++)
            {
                if (double.IsFinite(column.Numbers![row]) && column.Display(row) is { } text)
                    texts.Add(text);
            }
            return texts.ToArray();
        }
        var values = column.Strings!;
        if (Array.IndexOf(values, null) < 0)
            return Unsafe.As<string[]>(values);
        return Unsafe.As<string[]>(values.Where(v => v is not null).ToArray());
    }

    private static (int Reference, int Current, int Combined) Unique(DriftSample sample)
    {
        if (sample.IsNumeric)
        {
            return UniqueCounts.Count(sample.ReferenceSorted, sample.CurrentSorted);
        }
        if (sample.Type != ColumnType.Categorical)
        {
            // A text column is not tested, so its counts need no sorted table (which costs most for text).
            var referenceSet = new HashSet<string>(sample.ReferenceStrings!, StringComparer.Ordinal);
            var currentSet = new HashSet<string>(sample.CurrentStrings!, StringComparer.Ordinal);
            var referenceCount = referenceSet.Count;
            referenceSet.UnionWith(currentSet);
            return (referenceCount, currentSet.Count, referenceSet.Count);
        }
        var table = sample.Categories;
        return (table.ReferenceCounts.Count(c => c > 0), table.CurrentCounts.Count(c => c > 0), table.Count);
    }
}
