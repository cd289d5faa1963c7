using System.Globalization;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using Parquet;
using Parquet.Schema;

namespace Slipway.Serving.Tests.Batch;

/// <summary>
/// A conformance model's 24 golden rows laid out as a flat table, written as CSV or Parquet for batch prediction:
/// a single [N, K] input becomes the columns f0 … f{K-1} (no column bears the input's name, so all of them feed it);
/// with several inputs, an [N, K] input becomes &lt;name&gt;_0 … &lt;name&gt;_{K-1} and an [N, 1] input the column &lt;name&gt;.
/// </summary>
internal sealed class GoldenTable
{
    private GoldenTable(string model, JsonElement golden, List<GoldenColumn> columns)
    {
        Model = model;
        Golden = golden;
        Columns = columns;
        var tolerance = golden.GetProperty("tolerance").GetProperty("FP32");
        RelativeTolerance = tolerance.GetProperty("rtol").GetDouble();
        AbsoluteTolerance = tolerance.GetProperty("atol").GetDouble();
    }

    public string Model { get; }

    public JsonElement Golden { get; }

    public IReadOnlyList<GoldenColumn> Columns { get; }

    public int Rows => Columns[0].Values.Count;

    public double RelativeTolerance { get; }

    public double AbsoluteTolerance { get; }

    public static string ModelDirectory(string model) => Path.Combine(AppContext.BaseDirectory, "TestData", "onnx", model);

    public static GoldenTable Load(string model)
    {
        var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModelDirectory(model), "golden.json"))).RootElement;
        var specs = golden.GetProperty("inputs").EnumerateArray().ToList();
        var data = golden.GetProperty("test_data").GetProperty("inputs");
        var columns = new List<GoldenColumn>();
        foreach (var spec in specs)
        {
            var name = spec.GetProperty("name").GetString()!;
            var datatype = spec.GetProperty("datatype").GetString()!;
            var rows = data.GetProperty(name).EnumerateArray().ToList();
            var width = rows[0].ValueKind == JsonValueKind.Array ? rows[0].GetArrayLength() : 1;
            for (var k = 0; k < width; k++)
            {
                var column = specs.Count == 1 ? $"f{k}" : width == 1 ? name : $"{name}_{k}";
                columns.Add(new GoldenColumn(column, datatype, rows.Select(r => r.ValueKind == JsonValueKind.Array ? r[k] : r).ToList()));
            }
        }
        return new GoldenTable(model, golden, columns);
    }

    /// <summary>Expected values of an output, row by row (one value per row for [N] and [N, 1], K for [N, K]).</summary>
    public IReadOnlyList<double[]> Expected(string output) =>
        Golden.GetProperty("test_data").GetProperty("expected_outputs").GetProperty(output).EnumerateArray()
            .Select(r => r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().Select(v => v.GetDouble()).ToArray() : [r.GetDouble()])
            .ToList();

    public IEnumerable<(string Name, string DataType)> Outputs() =>
        Golden.GetProperty("outputs").EnumerateArray().Select(o => (o.GetProperty("name").GetString()!, o.GetProperty("datatype").GetString()!));

    /// <summary>Numbers exactly as golden.json spells them; strings always quoted (so "" is the empty string, not a missing value).</summary>
    public void WriteCsv(string path)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', Columns.Select(c => c.Name)).Append('\n');
        for (var r = 0; r < Rows; r++)
        {
            csv.AppendJoin(',', Columns.Select(c => c.Values[r].ValueKind == JsonValueKind.String
                ? "\"" + c.Values[r].GetString()!.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
                : c.Values[r].GetRawText()));
            csv.Append('\n');
        }
        File.WriteAllText(path, csv.ToString(), new UTF8Encoding(false));
    }

    /// <summary>FP32 as float, INT64 as int64, BYTES as string, in row groups of <paramref name="rowGroupRows"/> rows.</summary>
    public async Task WriteParquetAsync(string path, int rowGroupRows)
    {
        var fields = Columns.Select(c => c.DataType switch
        {
            "FP32" => new DataField(c.Name, typeof(float)),
            "INT64" => new DataField(c.Name, typeof(long)),
            _ => new DataField(c.Name, typeof(string)),
        }).ToList();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        for (var start = 0; start < Rows; start += rowGroupRows)
        {
            var count = Math.Min(rowGroupRows, Rows - start);
            using var rowGroup = writer.CreateRowGroup();
            for (var c = 0; c < Columns.Count; c++)
            {
                var values = Columns[c].Values.Skip(start).Take(count).ToList();
                if (fields[c].ClrType == typeof(float))
                    await rowGroup.WriteAsync<float>(fields[c], values.Select(v => v.GetSingle()).ToArray().AsMemory());
                else if (fields[c].ClrType == typeof(long))
                    await rowGroup.WriteAsync<long>(fields[c], values.Select(v => v.GetInt64()).ToArray().AsMemory());
                else
                    await rowGroup.WriteAsync(fields[c], values.Select(v => v.GetString()!).ToArray());
            }
        }
    }

    /// <summary>The CSV converted by DuckDB, as a Parquet file from another writer looks: nullable DOUBLE/BIGINT/VARCHAR columns.</summary>
    public void WriteDuckDbParquet(string csvPath, string path)
    {
        WriteCsv(csvPath);
        using var connection = DuckDb.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY (SELECT * FROM read_csv('{csvPath}', header = true, allow_quoted_nulls = false)) TO '{path}' (FORMAT parquet)";
        command.ExecuteNonQuery();
    }
}

internal sealed record GoldenColumn(string Name, string DataType, IReadOnlyList<JsonElement> Values);

internal static class DuckDb
{
    public static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        return connection;
    }

    /// <summary>A whole Parquet file through DuckDB's reader: column names, DuckDB types and rows, in file order.</summary>
    public static ParquetTable Read(string path)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet('{path}')";
        using var reader = command.ExecuteReader();
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray());

        reader.Close();

        // DuckDB's own type names (FLOAT, BIGINT, VARCHAR…), as its users see them.
        command.CommandText = $"DESCRIBE SELECT * FROM read_parquet('{path}')";
        var types = new List<string>();
        using (var described = command.ExecuteReader())
        {
            while (described.Read())
                types.Add(described.GetString(1));
        }

        command.CommandText = $"SELECT count(DISTINCT row_group_id) FROM parquet_metadata('{path}')";
        var rowGroups = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        return new ParquetTable(names, types, rows, rowGroups);
    }

    public static long Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}

internal sealed record ParquetTable(IReadOnlyList<string> Names, IReadOnlyList<string> Types, IReadOnlyList<object?[]> Rows, int RowGroups)
{
    public int Index(string column)
    {
        var index = Names.ToList().IndexOf(column);
        Assert.True(index >= 0, $"no column '{column}' in {string.Join(", ", Names)}");
        return index;
    }

    public string Type(string column) => Types[Index(column)];

    public IEnumerable<object?> Column(string column)
    {
        var index = Index(column);
        return Rows.Select(r => r[index]);
    }
}

internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "slipway-batch-" + Guid.NewGuid().ToString("N")[..12]);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a failing test; the OS cleans its temp folder.
        }
    }
}
