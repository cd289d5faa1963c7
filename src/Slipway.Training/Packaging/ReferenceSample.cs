using Parquet;
using Parquet.Schema;
using Slipway.Monitoring.Data;

namespace Slipway.Training.Packaging;

/// <summary>
/// Writes the training data (all columns, label included) as the monitoring reference: a seeded uniform sample when
/// the data is larger than the cap, so drift reports stay quick. Types follow what <see cref="FrameReader"/> reads
/// back as the same dtypes: INT64, nullable DOUBLE (missing as null), BOOLEAN and nullable strings.
/// </summary>
public static class ReferenceSample
{
    public static async Task WriteAsync(DataFrame frame, string path, int maxRows, int seed, CancellationToken ct = default)
    {
        var rows = SampleRows(frame.RowCount, maxRows, seed);
        var fields = frame.Columns.Select(Field).ToArray();
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, cancellationToken: ct);
        using var group = writer.CreateRowGroup();
        for (var c = 0; c < fields.Length; c++)
            await WriteColumnAsync(group, fields[c], frame.Columns[c], rows, ct);
    }

    /// <summary>Row indices in their original order: all rows, or a seeded sample of <paramref name="maxRows"/>.</summary>
    private static int[] SampleRows(int rowCount, int maxRows, int seed)
    {
        var all = Enumerable.Range(0, rowCount).ToArray();
        if (rowCount <= maxRows)
            return all;
        new Random(seed).Shuffle(all);
        var sample = all[..maxRows];
        Array.Sort(sample);
        return sample;
    }

    private static DataField Field(DataColumn column) => column.Dtype switch
    {
        ColumnDtype.Int64 => new DataField(column.Name, typeof(long), isNullable: false),
        ColumnDtype.Float64 => new DataField(column.Name, typeof(double), isNullable: true),
        ColumnDtype.Bool => new DataField(column.Name, typeof(bool), isNullable: false),
        ColumnDtype.NullableBool => new DataField(column.Name, typeof(bool), isNullable: true),
        _ => new DataField(column.Name, typeof(string), isNullable: true),
    };

    private static Task WriteColumnAsync(ParquetRowGroupWriter group, DataField field, DataColumn column, int[] rows, CancellationToken ct)
    {
        var numbers = column.Numbers;
        return column.Dtype switch
        {
            ColumnDtype.Int64 => group.WriteAsync<long>(field, Pick(rows, r => (long)numbers![r]), cancellationToken: ct),
            ColumnDtype.Float64 => group.WriteAsync<double>(field, Pick(rows, r => double.IsNaN(numbers![r]) ? null : (double?)numbers[r]), cancellationToken: ct),
            ColumnDtype.Bool => group.WriteAsync<bool>(field, Pick(rows, r => numbers![r] != 0), cancellationToken: ct),
            ColumnDtype.NullableBool => group.WriteAsync<bool>(field, Pick(rows, r => double.IsNaN(numbers![r]) ? null : (bool?)(numbers[r] != 0)), cancellationToken: ct),
            _ => group.WriteAsync(field, Pick(rows, r => column.Strings![r])!),
        };
    }

    private static T[] Pick<T>(int[] rows, Func<int, T> value)
    {
        var result = new T[rows.Length];
        for (var i = 0; i < rows.Length; i++)
            result[i] = value(rows[i]);
        return result;
    }
}
