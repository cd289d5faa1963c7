using Slipway.Monitoring.Data;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Quality;

/// <summary>
/// The counts behind one column's quality: one pass over the reference (missing values, finite min..max or the
/// category set), then one over the current values (missing, out of range, unseen).
/// </summary>
internal sealed class ColumnCheck
{
    private const int MaxListedCategories = 10;

    private ColumnCheck(string name, int rows, int referenceRows)
    {
        Name = name;
        Rows = rows;
        ReferenceRows = referenceRows;
    }

    public string Name { get; }

    public int Rows { get; }

    public int ReferenceRows { get; }

    public int Missing { get; private set; }

    public int ReferenceMissing { get; private set; }

    public double MissingShare => Rows == 0 ? 0 : (double)Missing / Rows;

    public double ReferenceMissingShare => ReferenceRows == 0 ? 0 : (double)ReferenceMissing / ReferenceRows;

    public double? ReferenceMin { get; private set; }

    public double? ReferenceMax { get; private set; }

    /// <summary>Out-of-range values over the current values present; null without a reference range or a current value.</summary>
    public double? OutOfRangeShare { get; private set; }

    /// <summary>Values of unseen categories over the current values present; null when no current value is present.</summary>
    public double? UnseenShare { get; private set; }

    /// <summary>The most frequent unseen categories, at most ten.</summary>
    public IReadOnlyList<string> UnseenCategories { get; private set; } = [];

    public static ColumnCheck Run(DataColumn reference, DataColumn current, ColumnType type)
    {
        var check = new ColumnCheck(current.Name, current.Length, reference.Length);
        if (type == ColumnType.Numerical && reference.Numbers is { } referenceNumbers && current.Numbers is { } currentNumbers)
        {
            check.CheckRange(referenceNumbers, currentNumbers);
        }
        else if (type == ColumnType.Categorical)
        {
            check.CheckCategories(reference, current);
        }
        else
        {
            check.ReferenceMissing = CountMissing(reference);
            check.Missing = CountMissing(current);
        }
        return check;
    }

    private void CheckRange(double[] reference, double[] current)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        var finite = 0;
        foreach (var value in reference)
        {
            if (double.IsNaN(value))
            {
                ReferenceMissing++;
            }
            else if (double.IsFinite(value))
            {
                finite++;
                min = Math.Min(min, value);
                max = Math.Max(max, value);
            }
        }
        var outside = 0;
        foreach (var value in current)
        {
            if (double.IsNaN(value))
                Missing++;
            else if (value < min || value > max)
                outside++;
        }
        if (finite == 0)
            return;
        ReferenceMin = min;
        ReferenceMax = max;
        var present = Rows - Missing;
        OutOfRangeShare = present == 0 ? null : (double)outside / present;
    }

    private void CheckCategories(DataColumn reference, DataColumn current)
    {
        // Numbers are compared as numbers (no string per row) unless one side is bool and the other is not,
        // where only the shown form ("True", "1") can match.
        var unseen = reference.Numbers is { } referenceNumbers && current.Numbers is { } currentNumbers && IsBool(reference) == IsBool(current)
            ? CountUnseen(referenceNumbers, currentNumbers, current)
            : CountUnseen(reference, current);
        var present = Rows - Missing;
        UnseenShare = present == 0 ? null : (double)unseen.Sum(u => u.Value) / present;
        UnseenCategories = unseen
            .OrderByDescending(u => u.Value)
            .ThenBy(u => u.Key, StringComparer.Ordinal)
            .Take(MaxListedCategories)
            .Select(u => u.Key)
            .ToList();
    }

    /// <summary>Current values whose number the reference never had, by their shown form.</summary>
    private Dictionary<string, int> CountUnseen(double[] reference, double[] current, DataColumn currentColumn)
    {
        var seen = new HashSet<double>();
        foreach (var value in reference)
        {
            if (double.IsNaN(value))
                ReferenceMissing++;
            else
                seen.Add(value);
        }
        var unseen = new Dictionary<double, (int Count, int FirstRow)>();
        for (var row = 0; row < current.Length; row++)
        {
            var value = current[row];
            if (double.IsNaN(value))
                Missing++;
            else if (!seen.Contains(value))
                unseen[value] = unseen.TryGetValue(value, out var known) ? (known.Count + 1, known.FirstRow) : (1, row);
        }
        return unseen.Values.ToDictionary(u => currentColumn.Display(u.FirstRow)!, u => u.Count, StringComparer.Ordinal);
    }

    private Dictionary<string, int> CountUnseen(DataColumn reference, DataColumn current)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var row = 0; row < reference.Length; row++)
        {
            if (reference.Display(row) is { } value)
                seen.Add(value);
            else
                ReferenceMissing++;
        }
        var unseen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var row = 0; row < current.Length; row++)
        {
            if (current.Display(row) is not { } value)
                Missing++;
            else if (!seen.Contains(value))
                unseen[value] = unseen.GetValueOrDefault(value) + 1;
        }
        return unseen;
    }

    private static int CountMissing(DataColumn column)
    {
        var missing = 0;
        if (column.Numbers is { } numbers)
        {
            foreach (var value in numbers)
                missing += double.IsNaN(value) ? 1 : 0;
        }
        else
        {
            foreach (var value in column.Strings!)
                missing += value is null ? 1 : 0;
        }
        return missing;
    }

    private static bool IsBool(DataColumn column) => column.Dtype is ColumnDtype.Bool or ColumnDtype.NullableBool;
}
