namespace Slipway.Artifacts;

/// <summary>One entry of a directory listing: a name relative to the listed folder.</summary>
public readonly record struct ArtifactEntry(string Name, bool IsDirectory, long? Size);

/// <summary>
/// Bytes of runs, models and reports, addressed by a relative path such as <c>1/&lt;run&gt;/artifacts/model/MLmodel</c>.
/// Every implementation validates paths with <see cref="ArtifactPath.Normalize"/> first, so nothing can escape the root.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Stores a file; the write is atomic (a failed upload leaves no partial file).</summary>
    Task WriteAsync(string path, Stream content, CancellationToken ct);

    /// <summary>Opens a file for reading, or returns null if there is no file at that path.</summary>
    Task<Stream?> OpenReadAsync(string path, CancellationToken ct);

    /// <summary>Lists one level of a folder; empty when the folder is missing or the path is a file.</summary>
    Task<IReadOnlyList<ArtifactEntry>> ListAsync(string path, CancellationToken ct);

    /// <summary>Deletes a file or a folder tree; returns false if nothing was there.</summary>
    Task<bool> DeleteAsync(string path, CancellationToken ct);
}
