namespace Slipway.Monitoring.Data;

/// <summary>
/// How a column was read, mirroring the pandas dtypes that Evidently's column typing depends on: whole numbers
/// with nothing missing are <see cref="Int64"/>; numbers with a fraction, a missing value or ±Infinity are
/// <see cref="Float64"/>; only True/False is <see cref="Bool"/>; True/False with missing values is
/// <see cref="NullableBool"/> (pandas' object column of bools, which Evidently cannot type); anything else is
/// <see cref="String"/>.
/// </summary>
public enum ColumnDtype
{
    Int64,
    Float64,
    Bool,
    NullableBool,
    String,
}

/// <summary>
/// One column of a <see cref="DataFrame"/>. Numeric, bool and nullable-bool columns keep their values in
/// <see cref="Numbers"/> (bools as 0/1, missing as NaN, infinities as ±Infinity); string columns keep them in
/// <see cref="Strings"/> (missing as null). Exactly one of the two arrays is set, and its length is the row count.
/// </summary>
public sealed class DataColumn
{
    private DataColumn(string name, ColumnDtype dtype, double[]? numbers, string?[]? strings)
    {
        Name = name;
        Dtype = dtype;
        Numbers = numbers;
        Strings = strings;
    }

    public string Name { get; }

    public ColumnDtype Dtype { get; }

    public double[]? Numbers { get; }

    public string?[]? Strings { get; }

    public int Length => Numbers?.Length ?? Strings!.Length;

    public bool IsNumeric => Numbers is not null;

    public static DataColumn Numeric(string name, ColumnDtype dtype, double[] values) =>
        dtype == ColumnDtype.String
            ? throw new ArgumentException("A string column keeps its values as strings.", nameof(dtype))
            : new DataColumn(name, dtype, values, null);

    public static DataColumn Text(string name, string?[] values) => new(name, ColumnDtype.String, null, values);

    /// <summary>The value of one row as shown in reports and used as a category key.</summary>
    public string? Display(int row)
    {
        if (Strings is not null)
            return Strings[row];
        var value = Numbers![row];
        if (double.IsNaN(value))
            return null;
        return Dtype switch
        {
            ColumnDtype.Bool or ColumnDtype.NullableBool => value != 0 ? "True" : "False",
            _ => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}

/// <summary>A table of equally long named columns: a reference or current dataset, read from CSV, Parquet or the inference log.</summary>
public sealed class DataFrame
{
    private readonly Dictionary<string, DataColumn> _byName;

    public DataFrame(IReadOnlyList<DataColumn> columns)
    {
        _byName = new Dictionary<string, DataColumn>(StringComparer.Ordinal);
        var rows = columns.Count == 0 ? 0 : columns[0].Length;
        foreach (var column in columns)
        {
            if (column.Length != rows)
                throw new ArgumentException($"Column '{column.Name}' has {column.Length} rows where the first column has {rows}.", nameof(columns));
            if (!_byName.TryAdd(column.Name, column))
                throw new ArgumentException($"Column '{column.Name}' appears twice.", nameof(columns));
        }
        Columns = columns;
        RowCount = rows;
    }

    public IReadOnlyList<DataColumn> Columns { get; }

    public int RowCount { get; }

    public DataColumn? Find(string name) => _byName.GetValueOrDefault(name);
}
