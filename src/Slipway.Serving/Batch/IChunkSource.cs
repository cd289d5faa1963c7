using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Batch;

/// <summary>The rows of one chunk: every column's window covers them. <see cref="FirstRow"/> is the file's row number of the first (1-based).</summary>
internal sealed record BatchChunk(IReadOnlyList<BatchColumn> Columns, int Rows, long FirstRow);

/// <summary>An input file read a chunk at a time, so memory follows the chunk size rather than the file size.</summary>
internal interface IChunkSource : IAsyncDisposable
{
    /// <summary>The file's columns, in order.</summary>
    IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The typed columns; complete once the first chunk has been read (CSV infers some types from it).</summary>
    IReadOnlyList<BatchColumn> Columns { get; }

    long BytesRead { get; }

    long TotalBytes { get; }

    /// <summary>
    /// Tells the source, before the first chunk, which columns (by index) feed which model input: a typed file
    /// (Parquet) keeps its own types; CSV parses those columns straight into the input's datatype.
    /// </summary>
    void UseInputTypes(IReadOnlyDictionary<int, TensorSpec> columnInputs);

    /// <summary>The next chunk of at most the chunk size, or null at the end. The columns are reused by the next call.</summary>
    ValueTask<BatchChunk?> ReadChunkAsync(CancellationToken ct);
}

internal static class ChunkSources
{
    public const string CsvExtension = ".csv";
    public const string ParquetExtension = ".parquet";

    /// <summary>Opens a <c>.csv</c> or <c>.parquet</c> file and reads its header or schema.</summary>
    public static async Task<IChunkSource> OpenAsync(string path, int chunkRows, CancellationToken ct)
    {
        var extension = Path.GetExtension(path);
        var isCsv = extension.Equals(CsvExtension, StringComparison.OrdinalIgnoreCase);
        if (!isCsv && !extension.Equals(ParquetExtension, StringComparison.OrdinalIgnoreCase))
            throw SlipwayException.InvalidParameter(
                $"Input '{path}' has the extension '{extension}'; batch prediction reads {CsvExtension} (with a header row) and {ParquetExtension} files.");
        if (!File.Exists(path))
            throw SlipwayException.NotFound($"Input file '{path}' does not exist.");
        return isCsv
            ? await CsvChunkSource.OpenAsync(path, chunkRows, ct)
            : await ParquetChunkSource.OpenAsync(path, chunkRows, ct);
    }
}
