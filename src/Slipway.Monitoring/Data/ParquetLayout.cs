using Parquet;
using Parquet.Schema;
using Slipway.Core.Errors;

namespace Slipway.Monitoring.Data;

/// <summary>
/// The columns a Parquet file contributes, where each row group starts, and the arrays being filled; chunks of
/// different row groups or columns write disjoint slices, so they can be read concurrently.
/// </summary>
internal sealed class ParquetLayout
{
    private readonly DataField[] _fields;
    private readonly int[] _schemaIndexes;
    private readonly ParquetColumnKind[] _kinds;
    private readonly double[]?[] _numbers;
    private readonly string?[]?[] _strings;
    private readonly int[] _sawNull;
    private readonly long[] _groupStarts;
    private readonly long[] _groupRows;

    private ParquetLayout(DataField[] fields, int[] schemaIndexes, ParquetColumnKind[] kinds, long[] groupStarts, long[] groupRows, int rows)
    {
        _fields = fields;
        _schemaIndexes = schemaIndexes;
        _kinds = kinds;
        _groupStarts = groupStarts;
        _groupRows = groupRows;
        _sawNull = new int[fields.Length];
        _numbers = new double[]?[fields.Length];
        _strings = new string?[]?[fields.Length];
        for (var c = 0; c < fields.Length; c++)
        {
            if (kinds[c] == ParquetColumnKind.Text)
                _strings[c] = new string?[rows];
            else
                _numbers[c] = GC.AllocateUninitializedArray<double>(rows);
        }
    }

    public static ParquetLayout Create(ParquetReader reader, string source)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var fields = new List<DataField>();
        var schemaIndexes = new List<int>();
        var kinds = new List<ParquetColumnKind>();
        foreach (var field in reader.Schema.Fields)
        {
            // Only top-level leaf columns; structs, lists and maps have no single value per row.
            if (field is not DataField data)
                continue;
            var kind = ParquetColumnReader.KindOf(data);
            if (kind == ParquetColumnKind.Skipped)
                continue;
            if (!names.Add(data.Name))
                throw SlipwayException.InvalidParameter($"{source}: the column name '{data.Name}' appears more than once.");
            fields.Add(data);
            schemaIndexes.Add(Array.IndexOf(reader.Schema.DataFields, data));
            kinds.Add(kind);
        }
        var groupRows = reader.RowGroups.Select(g => g.RowCount).ToArray();
        var groupStarts = new long[groupRows.Length];
        long total = 0;
        for (var g = 0; g < groupRows.Length; g++)
        {
            groupStarts[g] = total;
            total += groupRows[g];
        }
        if (total > Array.MaxLength)
            throw SlipwayException.InvalidParameter($"{source}: {total} rows is more than one frame can hold.");
        return new ParquetLayout(fields.ToArray(), schemaIndexes.ToArray(), kinds.ToArray(), groupStarts, groupRows, (int)total);
    }

    public IEnumerable<(int Group, int Column)> Chunks()
    {
        for (var g = 0; g < _groupRows.Length; g++)
        {
            for (var c = 0; c < _fields.Length; c++)
                yield return (g, c);
        }
    }

    public async ValueTask ReadChunkAsync(ParquetReader reader, (int Group, int Column) chunk, CancellationToken ct)
    {
        var (g, c) = chunk;
        var start = (int)_groupStarts[g];
        var count = (int)_groupRows[g];
        // Each reader parsed the footer itself, and its row groups want fields of its own schema.
        var field = reader.Schema.DataFields[_schemaIndexes[c]];
        using var group = reader.OpenRowGroupReader(g);
        var sawNull = _kinds[c] == ParquetColumnKind.Text
            ? await ParquetColumnReader.ReadStringsAsync(group, field, _strings[c]!.AsMemory(start, count), ct)
            : await ParquetColumnReader.ReadNumbersAsync(group, field, _numbers[c]!.AsMemory(start, count), ct);
        if (sawNull)
            Interlocked.Exchange(ref _sawNull[c], 1);
    }

    public DataFrame Build()
    {
        var columns = new DataColumn[_fields.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var name = _fields[c].Name;
            var nulls = _sawNull[c] != 0;
            columns[c] = _kinds[c] switch
            {
                ParquetColumnKind.Text => DataColumn.Text(name, _strings[c]!),
                // pandas turns an integer column with a null into float64, and a bool column with one into object.
                ParquetColumnKind.Integer => DataColumn.Numeric(name, nulls ? ColumnDtype.Float64 : ColumnDtype.Int64, _numbers[c]!),
                ParquetColumnKind.Boolean => DataColumn.Numeric(name, nulls ? ColumnDtype.NullableBool : ColumnDtype.Bool, _numbers[c]!),
                _ => DataColumn.Numeric(name, ColumnDtype.Float64, _numbers[c]!),
            };
        }
        return new DataFrame(columns);
    }
}
