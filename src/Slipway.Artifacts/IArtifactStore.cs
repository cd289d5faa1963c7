namespace Slipway.Artifacts;

/// <summary>One entry of a directory listing: a name relative to the listed folder.</summary>
public readonly record struct ArtifactEntry(string Name, bool IsDirectory, long? Size);

/// <summary>
/// Bytes of runs, models and reports, addressed by a relative path such as <c>1/&lt;run&gt;/artifacts/model/MLmodel</c>.
/// Every implementation validates paths with <see cref="ArtifactPath.Normalize"/> first, so nothing can escape the root
/// (a local folder, or a bucket or container prefix).
/// </summary>
public interface IArtifactStore
{
    /// <summary>
    /// Stores a file, streaming <paramref name="content"/> (which need not be seekable); the write is atomic (a failed
    /// upload leaves no partial file, and a replaced file is either the old or the new one).
    /// </summary>
    Task WriteAsync(string path, Stream content, CancellationToken ct);

    /// <summary>Opens a file for reading, or returns null if there is no file at that path.</summary>
    Task<Stream?> OpenReadAsync(string path, CancellationToken ct);

    /// <summary>
    /// Opens a file, or the byte range <paramref name="range"/> of it (all of it when null), with its total length;
    /// null if there is no file at that path.
    /// </summary>
    /// <exception cref="ArtifactRangeNotSatisfiableException">The range starts at or after the end of the file.</exception>
    async Task<ArtifactContent?> OpenReadAsync(string path, ArtifactRange? range, CancellationToken ct)
    {
        // Fallback for decorators and test doubles: stores themselves read ranges natively.
        var stream = await OpenReadAsync(path, ct);
        if (stream is null)
            return null;
        if (!stream.CanSeek)
        {
            await stream.DisposeAsync();
            throw new NotSupportedException($"{GetType().Name} cannot read byte ranges.");
        }
        var total = stream.Length;
        if (range is null)
            return new ArtifactContent(stream, 0, total, total);
        if (!range.Value.TryResolve(total, out var offset, out var length))
        {
            await stream.DisposeAsync();
            throw new ArtifactRangeNotSatisfiableException(total);
        }
        stream.Seek(offset, SeekOrigin.Begin);
        return new ArtifactContent(new BoundedReadStream(stream, length), offset, length, total);
    }

    /// <summary>Lists one level of a folder; empty when the folder is missing or the path is a file.</summary>
    Task<IReadOnlyList<ArtifactEntry>> ListAsync(string path, CancellationToken ct);

    /// <summary>Deletes a file or a folder tree; returns false if nothing was there.</summary>
    Task<bool> DeleteAsync(string path, CancellationToken ct);
}
