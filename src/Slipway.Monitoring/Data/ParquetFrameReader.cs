using System.Collections.Concurrent;
using Parquet;
using Parquet.Schema;
using Slipway.Core.Errors;

namespace Slipway.Monitoring.Data;

/// <summary>
/// Reads a Parquet file into a <see cref="DataFrame"/> with the dtypes pandas would give it (<c>pd.read_parquet</c>):
/// integer columns (8–64 bit, signed or unsigned) → Int64, or Float64 when the column holds a null; float, double and
/// decimal → Float64; bool → Bool, or NullableBool with nulls; strings → String. Top-level columns of other types
/// (timestamps, dates, times, binary, GUIDs) and nested or repeated columns (lists, maps, structs) are left out:
/// Evidently does not drift-test them either. Every (row group, column) chunk is decoded in parallel on its own
/// reader, straight into the frame's arrays. Unlike pandas, unsigned integers and decimals are treated as numbers.
/// </summary>
public static class ParquetFrameReader
{
    // Parquet.Net pools its page buffers; unbounded (its default), the pool keeps every buffer a large read ever used.
    private static readonly ParquetOptions ReaderOptions = new()
    {
        MaximumSmallPoolFreeBytes = 16 << 20,
        MaximumLargePoolFreeBytes = 64 << 20,
    };

    /// <exception cref="SlipwayException">INVALID_PARAMETER_VALUE when the file cannot be read as Parquet or repeats a column name.</exception>
    public static Task<DataFrame> ReadAsync(string path, CancellationToken ct = default) =>
        ReadAsync(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess), path, ct);

    /// <summary>Reads Parquet from a stream; a stream that is not a file is buffered in memory so workers can share it.</summary>
    public static Task<DataFrame> ReadAsync(Stream stream, string source, CancellationToken ct = default)
    {
        if (stream is FileStream file)
            return ReadAsync(file.Name, ct);
        byte[] bytes;
        var start = 0;
        var length = 0;
        if (stream is MemoryStream memory && memory.Position == 0 && memory.TryGetBuffer(out var segment))
        {
            (bytes, start, length) = (segment.Array!, segment.Offset, segment.Count);
        }
        else
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            bytes = copy.GetBuffer();
            length = (int)copy.Length;
        }
        return ReadAsync(() => new MemoryStream(bytes, start, length, writable: false), source, ct);
    }

    private static async Task<DataFrame> ReadAsync(Func<Stream> open, string source, CancellationToken ct)
    {
        var readers = new ConcurrentBag<ParquetReader>();
        try
        {
            var first = await OpenAsync(open, source, ct);
            readers.Add(first);
            var layout = ParquetLayout.Create(first, source);
            var chunks = layout.Chunks().ToArray();
            var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct };
            await Parallel.ForEachAsync(chunks, options, async (chunk, token) =>
            {
                var reader = readers.TryTake(out var pooled) ? pooled : await OpenAsync(open, source, token);
                try
                {
                    await layout.ReadChunkAsync(reader, chunk, token);
                }
                finally
                {
                    readers.Add(reader);
                }
            });
            return layout.Build();
        }
        catch (Exception e) when (e is not SlipwayException and not OperationCanceledException)
        {
            throw SlipwayException.InvalidParameter($"{source}: not a readable Parquet file ({e.Message}).");
        }
        finally
        {
            foreach (var reader in readers)
                await reader.DisposeAsync();
        }
    }

    private static async Task<ParquetReader> OpenAsync(Func<Stream> open, string source, CancellationToken ct)
    {
        Stream stream;
        try
        {
            stream = open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SlipwayException.InvalidParameter($"{source}: cannot open the file ({e.Message}).");
        }
        try
        {
            return await ParquetReader.CreateAsync(stream, ReaderOptions, false, ct);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }
}
