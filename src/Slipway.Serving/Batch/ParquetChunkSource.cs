using Parquet;
using Parquet.Schema;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Batch;

/// <summary>
/// A Parquet file read row group by row group; a row group larger than the chunk size is handed out in slices, so the
/// model and the output see chunks of at most that size. Memory follows the largest row group (Parquet decodes a
/// column chunk whole) plus one chunk of tensors.
/// </summary>
internal sealed class ParquetChunkSource : IChunkSource
{
    private readonly FileStream _stream;
    private readonly ParquetReader _reader;
    private readonly int _chunkRows;
    private readonly BatchColumn[] _columns;
    private readonly long _totalRows;
    private int _nextRowGroup;
    private int _rowGroupRows;
    private int _rowGroupOffset;
    private long _rowsRead;

    private ParquetChunkSource(FileStream stream, ParquetReader reader, int chunkRows, BatchColumn[] columns)
    {
        _stream = stream;
        _reader = reader;
        _chunkRows = chunkRows;
        _columns = columns;
        foreach (var rowGroup in reader.RowGroups)
            _totalRows += rowGroup.RowCount;
    }

    public IReadOnlyList<string> ColumnNames => Array.ConvertAll(_columns, c => c.Name);

    public IReadOnlyList<BatchColumn> Columns => _columns;

    /// <summary>Estimated from the rows read: the reader seeks between column chunks, so the stream position says little.</summary>
    public long BytesRead => _totalRows == 0 ? TotalBytes : (long)((double)TotalBytes * _rowsRead / _totalRows);

    public long TotalBytes => _stream.Length;

    public static async Task<ParquetChunkSource> OpenAsync(string path, int chunkRows, CancellationToken ct)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.RandomAccess);
        try
        {
            var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: false, cancellationToken: ct);
            var nested = reader.Schema.Fields.Where(f => f is not DataField).Select(f => f.Name).ToList();
            if (nested.Count > 0)
            {
                await reader.DisposeAsync();
                throw SlipwayException.InvalidParameter(
                    $"Parquet file '{path}' has nested columns ({BatchErrors.List(nested)}); batch prediction reads flat columns of numbers, strings and booleans.");
            }
            var columns = reader.Schema.DataFields.Select(BatchColumns.ForParquet).ToArray();
            return new ParquetChunkSource(stream, reader, chunkRows, columns);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            await stream.DisposeAsync();
            throw SlipwayException.InvalidParameter($"'{path}' is not a readable Parquet file ({e.Message}).");
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Parquet columns keep the types of the file; conversion to each input's datatype happens per chunk.</summary>
    public void UseInputTypes(IReadOnlyDictionary<int, TensorSpec> columnInputs)
    {
    }

    public async ValueTask<BatchChunk?> ReadChunkAsync(CancellationToken ct)
    {
        while (_rowGroupOffset == _rowGroupRows)
        {
            if (_nextRowGroup == _reader.RowGroupCount)
                return null;
            using var rowGroup = _reader.OpenRowGroupReader(_nextRowGroup++);
            _rowGroupRows = checked((int)rowGroup.RowCount);
            _rowGroupOffset = 0;
            foreach (var column in _columns)
                await column.ReadAsync(rowGroup, _rowGroupRows, ct);
        }

        var rows = Math.Min(_chunkRows, _rowGroupRows - _rowGroupOffset);
        foreach (var column in _columns)
            column.SetWindow(_rowGroupOffset, rows);
        _rowGroupOffset += rows;
        var firstRow = _rowsRead + 1;
        _rowsRead += rows;
        return new BatchChunk(_columns, rows, firstRow);
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        await _stream.DisposeAsync();
    }
}
