using Parquet;
using Parquet.Schema;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Batch;

/// <summary>
/// Writes the output Parquet file one row group per chunk: the input columns as read, then the prediction columns.
/// The file is written beside its destination and moved into place when complete, so a failed or cancelled run never
/// leaves a truncated file where the output should be.
/// </summary>
internal sealed class PredictionWriter(string outputPath) : IAsyncDisposable
{
    private readonly string _partialPath = outputPath + ".partial-" + Guid.NewGuid().ToString("N")[..8];
    private FileStream? _stream;
    private ParquetWriter? _writer;
    private PredictionColumns[] _predictions = [];
    private bool _completed;

    public async Task WriteAsync(BatchChunk chunk, IReadOnlyList<Tensor> outputs, CancellationToken ct)
    {
        if (_writer is null)
        {
            var taken = new HashSet<string>(chunk.Columns.Select(c => c.Name), StringComparer.Ordinal);
            var predictions = outputs.Select(o => PredictionColumns.Create(o.Name, o.DataType, Width(o), taken)).ToArray();
            await StartAsync(chunk.Columns, predictions, ct);
        }

        using var rowGroup = _writer!.CreateRowGroup();
        foreach (var column in chunk.Columns)
            await column.WriteAsync(rowGroup, ct);
        foreach (var prediction in _predictions)
        {
            var tensor = outputs.FirstOrDefault(o => o.Name == prediction.Output)
                ?? throw SlipwayException.InvalidParameter($"The model returned no output '{prediction.Output}' for rows {chunk.FirstRow}–{chunk.FirstRow + chunk.Rows - 1}.");
            await prediction.WriteAsync(rowGroup, tensor, chunk.Rows, ct);
        }
        rowGroup.CompleteValidate();
    }

    /// <summary>
    /// Finishes the file and moves it into place. With no rows at all, the prediction columns come from the signature
    /// (one per output, or K for a fixed [N, K]).
    /// </summary>
    public async Task CompleteAsync(IReadOnlyList<BatchColumn> inputColumns, ModelSignature signature, CancellationToken ct)
    {
        if (_writer is null)
        {
            var taken = new HashSet<string>(inputColumns.Select(c => c.Name), StringComparer.Ordinal);
            var predictions = signature.Outputs
                .Select(o => PredictionColumns.Create(o.Name, o.DataType, o.Shape.Length == 2 && o.Shape[1] > 0 ? o.Shape[1] : 1, taken))
                .ToArray();
            await StartAsync(inputColumns, predictions, ct);
        }
        await _writer!.DisposeAsync();
        await _stream!.DisposeAsync();
        File.Move(_partialPath, outputPath, overwrite: true);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_completed)
            return;
        try
        {
            if (_writer is not null)
                await _writer.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // The run already failed; the partial file is deleted below either way.
        }
        if (_stream is not null)
            await _stream.DisposeAsync();
        File.Delete(_partialPath);
    }

    private async Task StartAsync(IReadOnlyList<BatchColumn> inputColumns, PredictionColumns[] predictions, CancellationToken ct)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        _predictions = predictions;
        var fields = inputColumns.Select(c => (Field)c.Field).Concat(predictions.SelectMany(p => p.Fields));
        _stream = new FileStream(_partialPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        _writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), _stream, cancellationToken: ct);
    }

    private static long Width(Tensor output)
    {
        if (output.Shape.Length == 0)
            throw SlipwayException.InvalidParameter($"Model output '{output.Name}' is a scalar; batch prediction writes outputs with one row per input row.");
        long width = 1;
        for (var d = 1; d < output.Shape.Length; d++)
            width = checked(width * output.Shape[d]);
        return width;
    }
}
