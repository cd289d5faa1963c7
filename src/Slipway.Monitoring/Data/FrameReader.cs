using Slipway.Core.Errors;

namespace Slipway.Monitoring.Data;

/// <summary>Reads a reference or current dataset, choosing the format by file extension: <c>.csv</c> or <c>.parquet</c>.</summary>
public static class FrameReader
{
    /// <exception cref="SlipwayException">INVALID_PARAMETER_VALUE for a missing or unreadable file, an unknown extension or malformed content.</exception>
    public static async Task<DataFrame> ReadAsync(string path, CancellationToken ct = default)
    {
        var format = FormatOf(path);
        if (!File.Exists(path))
            throw SlipwayException.InvalidParameter($"{path}: the file does not exist.");
        if (format == FileFormat.Parquet)
            return await ParquetFrameReader.ReadAsync(path, ct);
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return CsvFrameReader.Read(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SlipwayException.InvalidParameter($"{path}: cannot read the file ({e.Message}).");
        }
    }

    /// <summary>Reads from a stream; <paramref name="name"/> is the file name whose extension picks the format.</summary>
    public static async Task<DataFrame> ReadAsync(Stream stream, string name, CancellationToken ct = default)
    {
        if (FormatOf(name) == FileFormat.Parquet)
            return await ParquetFrameReader.ReadAsync(stream, name, ct);
        return CsvFrameReader.Read(stream, name);
    }

    /// <summary>Synchronous <see cref="ReadAsync(Stream, string, CancellationToken)"/>, for callers that already hold a stream.</summary>
    public static DataFrame Read(Stream stream, string name)
    {
        if (FormatOf(name) == FileFormat.Parquet)
            return ParquetFrameReader.ReadAsync(stream, name).GetAwaiter().GetResult();
        return CsvFrameReader.Read(stream, name);
    }

    private static FileFormat FormatOf(string name)
    {
        var extension = Path.GetExtension(name);
        if (extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
            return FileFormat.Csv;
        if (extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase))
            return FileFormat.Parquet;
        throw SlipwayException.InvalidParameter($"{name}: unsupported file type '{extension}'; use .csv or .parquet.");
    }

    private enum FileFormat
    {
        Csv,
        Parquet,
    }
}
