using Slipway.Artifacts;

namespace Slipway.Monitoring.InferenceLog;

/// <summary>
/// Local copies of inference-log segments held in an object store, so that DuckDB can read them as files. Segments
/// are never changed once written (each flush writes a new uniquely named one), so a copy is good for as long as the
/// store lists the same size. The least recently used copies are removed when the folder outgrows its bound; the
/// copies a running read holds (its <see cref="SegmentLease"/>) are never removed under it.
/// </summary>
public sealed partial class InferenceSegmentCache
{
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly Dictionary<string, int> _inUse = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public InferenceSegmentCache(string directory, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _directory = Path.GetFullPath(directory);
        InferenceLogFiles.CheckNoGlob(_directory, _directory);
        _maxBytes = maxBytes;
    }

    /// <summary>The folder of the copies.</summary>
    public string Directory => _directory;

    /// <summary>A cache in <see cref="ArtifactStoreOptions.CacheDirectory"/> bounded by its <see cref="ArtifactStoreOptions.CacheMaxBytes"/>; a temporary folder without options.</summary>
    public static InferenceSegmentCache Create(ArtifactStoreOptions? options)
    {
        var defaults = new ArtifactStoreOptions();
        return new InferenceSegmentCache(
            options?.CacheDirectory ?? Path.Combine(Path.GetTempPath(), "slipway-artifact-cache"),
            options?.CacheMaxBytes ?? defaults.CacheMaxBytes);
    }

    /// <summary>
    /// Local paths of <paramref name="segments"/> in the same order, downloading those not cached yet; they stay on
    /// disk until the lease is disposed.
    /// </summary>
    internal async Task<SegmentLease> AcquireAsync(IArtifactStore store, IReadOnlyList<SegmentFile> segments, CancellationToken ct)
    {
        var paths = segments.Select(s => LocalPath(s.StorePath)).ToList();
        var lease = new SegmentLease(this, paths);
        Hold(paths);
        try
        {
            var downloaded = false;
            for (var i = 0; i < segments.Count; i++)
                downloaded |= await EnsureCopyAsync(store, segments[i], paths[i], ct);
            if (downloaded)
                Trim();
            return lease;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    private string LocalPath(string storePath)
    {
        var relative = ArtifactPath.Normalize(storePath);
        return InferenceLogFiles.CheckNoGlob(_directory, Path.Combine(_directory, relative.Replace('/', Path.DirectorySeparatorChar)));
    }

    /// <summary>Copies the segment unless an intact copy is there; true when it downloaded.</summary>
    private static async Task<bool> EnsureCopyAsync(IArtifactStore store, SegmentFile segment, string path, CancellationToken ct)
    {
        var existing = new FileInfo(path);
        if (existing.Exists && (segment.Size is null || existing.Length == segment.Size))
        {
            // Marks it recently used for Trim; the copy itself is immutable.
            File.SetLastAccessTimeUtc(path, DateTime.UtcNow);
            return false;
        }
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.part");
        try
        {
            var source = await store.OpenReadAsync(segment.StorePath, ct)
                ?? throw new FileNotFoundException($"Inference-log segment '{segment.StorePath}' disappeared from the artifact store while being read.");
            await using (source)
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await source.CopyToAsync(file, ct);
            }
            // Concurrent readers may fetch the same segment; whichever rename lands last, the bytes are the same.
            File.Move(temp, path, overwrite: true);
            return true;
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }
}
