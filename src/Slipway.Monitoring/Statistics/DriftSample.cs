namespace Slipway.Monitoring.Statistics;

/// <summary>
/// One column's cleaned reference and current values (±Infinity and missing already dropped, each side on its
/// own), as every drift method receives them. Numeric, bool (0/1) columns fill <see cref="ReferenceNumbers"/> and
/// <see cref="CurrentNumbers"/>; string columns fill <see cref="ReferenceStrings"/> and <see cref="CurrentStrings"/>.
/// <see cref="Type"/> is the column's Evidently type, which some methods branch on (hellinger, binning).
/// Derived views are computed once and shared by the methods that need them.
/// </summary>
public sealed class DriftSample
{
    private double[]? _referenceSorted;
    private double[]? _currentSorted;
    private CategoryTable? _categories;

    private DriftSample(ColumnType type, double[]? referenceNumbers, double[]? currentNumbers, string[]? referenceStrings, string[]? currentStrings)
    {
        Type = type;
        ReferenceNumbers = referenceNumbers;
        CurrentNumbers = currentNumbers;
        ReferenceStrings = referenceStrings;
        CurrentStrings = currentStrings;
    }

    public ColumnType Type { get; }

    public double[]? ReferenceNumbers { get; }

    public double[]? CurrentNumbers { get; }

    public string[]? ReferenceStrings { get; }

    public string[]? CurrentStrings { get; }

    public bool IsNumeric => ReferenceNumbers is not null;

    public int ReferenceCount => ReferenceNumbers?.Length ?? ReferenceStrings!.Length;

    public int CurrentCount => CurrentNumbers?.Length ?? CurrentStrings!.Length;

    public static DriftSample FromNumbers(ColumnType type, double[] reference, double[] current) => new(type, reference, current, null, null);

    public static DriftSample FromStrings(ColumnType type, string[] reference, string[] current) => new(type, null, null, reference, current);

    /// <summary>The reference values sorted ascending (numeric samples only).</summary>
    public double[] ReferenceSorted => _referenceSorted ??= Sorted(ReferenceNumbers ?? throw NotNumeric());

    /// <summary>The current values sorted ascending (numeric samples only).</summary>
    public double[] CurrentSorted => _currentSorted ??= Sorted(CurrentNumbers ?? throw NotNumeric());

    /// <summary>Counts per distinct value over reference ∪ current, keys in sorted order.</summary>
    public CategoryTable Categories => _categories ??= CategoryTable.Build(this);

    // The calculator hands over values it already sorted while cleaning; those are used as they are.
    private static double[] Sorted(double[] values)
    {
        if (IsSorted(values))
            return values;
        var copy = (double[])values.Clone();
        DoubleSort.Sort(copy);
        return copy;
    }

    private static bool IsSorted(double[] values)
    {
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] < values[i - 1])
                return false;
        }
        return true;
    }

    private static InvalidOperationException NotNumeric() => new("This drift sample holds strings, not numbers.");
}

/// <summary>
/// The distinct values of reference ∪ current in sorted order (numbers ascending, strings by ordinal, which is
/// Python's order) with their counts on each side.
/// </summary>
public sealed class CategoryTable
{
    private CategoryTable(string[] keys, double[]? numericKeys, long[] referenceCounts, long[] currentCounts)
    {
        Keys = keys;
        NumericKeys = numericKeys;
        ReferenceCounts = referenceCounts;
        CurrentCounts = currentCounts;
    }

    /// <summary>Display form of each key.</summary>
    public string[] Keys { get; }

    /// <summary>The keys as numbers when the sample is numeric.</summary>
    public double[]? NumericKeys { get; }

    public long[] ReferenceCounts { get; }

    public long[] CurrentCounts { get; }

    public int Count => Keys.Length;

    internal static CategoryTable Build(DriftSample sample)
    {
        if (sample.IsNumeric)
        {
            var reference = sample.ReferenceSorted;
            var current = sample.CurrentSorted;
            var keys = new List<double>();
            int i = 0, j = 0;
            var refCounts = new List<long>();
            var curCounts = new List<long>();
            while (i < reference.Length || j < current.Length)
            {
                var next = j >= current.Length || (i < reference.Length && reference[i] <= current[j]) ? reference[i] : current[j];
                long r = 0, c = 0;
                while (i < reference.Length && reference[i] == next) { i++; r++; }
                while (j < current.Length && current[j] == next) { j++; c++; }
                keys.Add(next);
                refCounts.Add(r);
                curCounts.Add(c);
            }
            var numericKeys = keys.ToArray();
            var names = new string[numericKeys.Length];
            for (var k = 0; k < names.Length; k++)
                names[k] = numericKeys[k].ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            return new CategoryTable(names, numericKeys, refCounts.ToArray(), curCounts.ToArray());
        }

        var counts = new Dictionary<string, (long Reference, long Current)>(StringComparer.Ordinal);
        foreach (var value in sample.ReferenceStrings!)
        {
            counts.TryGetValue(value, out var pair);
            counts[value] = (pair.Reference + 1, pair.Current);
        }
        foreach (var value in sample.CurrentStrings!)
        {
            counts.TryGetValue(value, out var pair);
            counts[value] = (pair.Reference, pair.Current + 1);
        }
        var sortedKeys = counts.Keys.ToArray();
        Array.Sort(sortedKeys, StringComparer.Ordinal);
        var referenceCounts = new long[sortedKeys.Length];
        var currentCounts = new long[sortedKeys.Length];
        for (var k = 0; k < sortedKeys.Length; k++)
            (referenceCounts[k], currentCounts[k]) = counts[sortedKeys[k]];
        return new CategoryTable(sortedKeys, null, referenceCounts, currentCounts);
    }
}
