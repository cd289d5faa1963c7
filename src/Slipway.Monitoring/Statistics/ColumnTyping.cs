using Slipway.Monitoring.Data;

namespace Slipway.Monitoring.Statistics;

/// <summary>
/// Evidently's <c>infer_column_type</c>, applied to the current data as <c>DataDriftPreset</c> does: float → numerical;
/// integer → categorical with at most 10 distinct values, else numerical; bool → categorical; strings → text when more
/// than half the non-missing values are distinct, else categorical; True/False with missing values (pandas' object
/// column of bools) and a column with no value at all → unknown, which is not drift-tested.
/// </summary>
public static class ColumnTyping
{
    /// <summary>Evidently's <c>INTEGER_CARDINALITY_LIMIT</c>.</summary>
    public const int IntegerCardinalityLimit = 10;

    public static ColumnType Infer(DataColumn column) => column.Dtype switch
    {
        ColumnDtype.Float64 => ColumnType.Numerical,
        ColumnDtype.Int64 => HasAtMostDistinct(column.Numbers!, IntegerCardinalityLimit) ? ColumnType.Categorical : ColumnType.Numerical,
        ColumnDtype.Bool => ColumnType.Categorical,
        ColumnDtype.String => InferStrings(column.Strings!),
        _ => ColumnType.Unknown,
    };

    private static bool HasAtMostDistinct(double[] values, int limit)
    {
        Span<double> seen = stackalloc double[limit];
        var count = 0;
        foreach (var value in values)
        {
            if (double.IsNaN(value) || seen[..count].Contains(value))
                continue;
            if (count == limit)
                return false;
            seen[count++] = value;
        }
        return true;
    }

    private static ColumnType InferStrings(string?[] values)
    {
        var present = 0;
        foreach (var value in values)
        {
            if (value is not null)
                present++;
        }
        // Evidently looks at the first non-missing value, which an all-missing column does not have.
        if (present == 0)
            return ColumnType.Unknown;
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var textAbove = present * 0.5;
        foreach (var value in values)
        {
            if (value is not null && distinct.Add(value) && distinct.Count > textAbove)
                return ColumnType.Text;
        }
        return ColumnType.Categorical;
    }
}
