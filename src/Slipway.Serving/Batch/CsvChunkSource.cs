using System.Globalization;
using System.Text;
using Parquet.Schema;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Batch;

/// <summary>
/// A CSV file with a header row, read a chunk at a time. Columns that feed a model input are parsed into the input's
/// type; the others take a type inferred from the first chunk (boolean, int64, double or string, as DuckDB and pandas
/// sniff a sample). Every column is nullable: an empty unquoted cell is a missing value.
/// </summary>
internal sealed class CsvChunkSource : IChunkSource
{
    private const int StreamBufferSize = 64 * 1024;

    private readonly FileStream _stream;
    private readonly StreamReader _text;
    private readonly CsvRecordReader _records;
    private readonly int _chunkRows;
    private readonly string[] _names;
    private readonly BatchColumn?[] _columns;
    private readonly TensorSpec?[] _feeds;
    private long _rowsRead;
    private bool _typesInferred;

    private CsvChunkSource(FileStream stream, int chunkRows, string[] names, StreamReader text, CsvRecordReader records)
    {
        _stream = stream;
        _text = text;
        _records = records;
        _chunkRows = chunkRows;
        _names = names;
        _columns = new BatchColumn?[names.Length];
        _feeds = new TensorSpec?[names.Length];
    }

    public IReadOnlyList<string> ColumnNames => _names;

    public IReadOnlyList<BatchColumn> Columns => _typesInferred ? Array.ConvertAll(_columns, c => c!) : throw new InvalidOperationException("The CSV column types are known after the first chunk.");

    public long BytesRead => _stream.Position;

    public long TotalBytes => _stream.Length;

    public static async Task<CsvChunkSource> OpenAsync(string path, int chunkRows, CancellationToken ct)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, StreamBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, StreamBufferSize);
        var records = new CsvRecordReader(text);
        try
        {
            if (!await records.ReadAsync(ct))
                throw SlipwayException.InvalidParameter($"CSV file '{path}' is empty; batch prediction needs a header row naming the columns.");
            return new CsvChunkSource(stream, chunkRows, ReadHeader(records), text, records);
        }
        catch
        {
            text.Dispose();
            throw;
        }
    }

    public void UseInputTypes(IReadOnlyDictionary<int, TensorSpec> columnInputs)
    {
        foreach (var (index, input) in columnInputs)
        {
            _columns[index] = BatchColumns.ForCsv(_names[index], input.DataType);
            _feeds[index] = input;
        }
    }

    public async ValueTask<BatchChunk?> ReadChunkAsync(CancellationToken ct)
    {
        // Until the first chunk is read, columns that feed no input are staged as text to infer their type from.
        var columns = new BatchColumn[_names.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = _columns[c] ?? new StringColumn(new DataField(_names[c], typeof(string), isNullable: true));
            columns[c].Clear();
        }

        var firstRow = _rowsRead + 1;
        var rows = 0;
        while (rows < _chunkRows && await _records.ReadAsync(ct))
        {
            if (_records.FieldCount != _names.Length)
            {
                throw SlipwayException.InvalidParameter(
                    $"CSV row {_rowsRead + 1} (line {_records.Line}) has {_records.FieldCount} values, but the header names {_names.Length} columns.");
            }
            for (var c = 0; c < columns.Length; c++)
            {
                if (!columns[c].TryAppend(_records[c], _records.IsNull(c)))
                    throw NotOfType(c, columns[c], _records[c].ToString());
            }
            rows++;
            _rowsRead++;
        }

        if (!_typesInferred)
            InferTypes(columns, rows);
        return rows == 0 ? null : new BatchChunk(columns, rows, firstRow);
    }

    public ValueTask DisposeAsync()
    {
        _text.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string[] ReadHeader(CsvRecordReader records)
    {
        var names = new string[records.FieldCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < names.Length; c++)
        {
            // pandas writes its index with an empty header; name it as DuckDB does rather than fail.
            names[c] = records[c].IsWhiteSpace() ? "column" + c.ToString(CultureInfo.InvariantCulture) : records[c].ToString();
            if (!seen.Add(names[c]))
                throw SlipwayException.InvalidParameter($"The CSV header names column '{names[c]}' twice.");
        }
        return names;
    }

    /// <summary>Replaces the staged text columns of the first chunk with typed ones: the narrowest type all their values fit.</summary>
    private void InferTypes(BatchColumn[] columns, int rows)
    {
        for (var c = 0; c < columns.Length; c++)
        {
            if (_columns[c] is not null)
                continue;
            var text = (StringColumn)columns[c];
            var typed = BatchColumns.ForCsv(_names[c], InferType(text, rows));
            if (typed is not StringColumn)
            {
                for (var r = 0; r < rows; r++)
                    typed.TryAppend(text[r], text[r] is null);
                columns[c] = typed;
            }
            _columns[c] = columns[c];
        }
        _typesInferred = true;
    }

    private static TensorDataType InferType(StringColumn column, int rows)
    {
        bool allBoolean = true, allInteger = true, allNumber = true, any = false;
        for (var r = 0; r < rows && (allBoolean || allNumber); r++)
        {
            if (column[r] is not { } value)
                continue;
            any = true;
            allBoolean &= bool.TryParse(value, out _);
            allInteger &= long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
            allNumber &= double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        }
        if (!any)
            return TensorDataType.Bytes;
        return allBoolean ? TensorDataType.Bool : allInteger ? TensorDataType.Int64 : allNumber ? TensorDataType.Fp64 : TensorDataType.Bytes;
    }

    private SlipwayException NotOfType(int index, BatchColumn column, string value)
    {
        var where = $"CSV row {_rowsRead + 1} (line {_records.Line}), column '{column.Name}'";
        if (_feeds[index] is not { } input)
        {
            return SlipwayException.InvalidParameter(
                $"{where}: {BatchErrors.Show(value)} is not a {column.TypeName} value, the type the column's first {_chunkRows} rows gave it. A larger chunk size lets more rows decide.");
        }
        var expected = input.DataType switch
        {
            TensorDataType.Bool => "a boolean",
            TensorDataType.Fp16 or TensorDataType.Bf16 or TensorDataType.Fp32 or TensorDataType.Fp64 => "a number",
            _ => "an integer",
        };
        return SlipwayException.InvalidParameter(
            $"{where}: {BatchErrors.Show(value)} is not {expected}, which model input '{input.Name}' ({input.DataType.WireName()}) needs.");
    }
}
