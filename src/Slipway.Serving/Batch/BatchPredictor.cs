using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Batch;

/// <summary>
/// Batch prediction over a file: reads a CSV (header row, quoted fields) or Parquet input a chunk at a time, runs the
/// model on each chunk and appends the chunk to an output Parquet file as one row group — the input columns as read,
/// then the predictions (see <see cref="InputMapping"/> for how columns feed inputs, <see cref="PredictionColumns"/>
/// for how outputs become columns). Memory follows the chunk size (for Parquet input, the largest row group), never
/// the file size.
/// </summary>
public sealed class BatchPredictor(TimeProvider? timeProvider = null)
{
    public const int DefaultChunkRows = 10_000;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Predicts every row of <paramref name="inputPath"/> and writes <paramref name="outputPath"/> (replacing it).</summary>
    /// <param name="model">The loaded model.</param>
    /// <param name="inputPath">A <c>.csv</c> or <c>.parquet</c> file.</param>
    /// <param name="outputPath">The Parquet file to write; written beside and moved into place when complete.</param>
    /// <param name="chunkRows">Rows per model run and per output row group.</param>
    /// <param name="progress">Told after each chunk is written; called on the thread running the prediction.</param>
    /// <param name="ct">Cancels the run; no output file is left behind.</param>
    /// <exception cref="SlipwayException">The input cannot be read, does not fit the model's inputs, or holds a value the model cannot take.</exception>
    public async Task<BatchPredictionSummary> RunAsync(
        ILoadedModel model, string inputPath, string outputPath, int chunkRows, IProgress<BatchProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        if (!Path.GetExtension(outputPath).Equals(ChunkSources.ParquetExtension, StringComparison.OrdinalIgnoreCase))
            throw SlipwayException.InvalidParameter($"Output '{outputPath}' must be a {ChunkSources.ParquetExtension} file: batch prediction writes Parquet.");
        if (Path.GetFullPath(inputPath) == Path.GetFullPath(outputPath))
            throw SlipwayException.InvalidParameter($"The output '{outputPath}' would overwrite the input.");

        var started = _time.GetTimestamp();
        await using var source = await ChunkSources.OpenAsync(inputPath, chunkRows, ct);
        var bindings = InputMapping.Create(model.Signature, source.ColumnNames);
        source.UseInputTypes(InputMapping.ColumnInputs(bindings));
        var assembler = new TensorAssembler(bindings);
        await using var writer = new PredictionWriter(outputPath);

        long rows = 0;
        var chunks = 0;
        while (await source.ReadChunkAsync(ct) is { } chunk)
        {
            var outputs = await model.RunAsync(assembler.Build(chunk), null, ct);
            await writer.WriteAsync(chunk, outputs, ct);
            rows += chunk.Rows;
            chunks++;
            progress?.Report(new BatchProgress(rows, source.BytesRead, source.TotalBytes));
        }
        await writer.CompleteAsync(source.Columns, model.Signature, ct);

        return new BatchPredictionSummary(rows, chunks, _time.GetElapsedTime(started).TotalSeconds, Path.GetFullPath(outputPath));
    }
}
