using System.Text;
using Slipway.Artifacts;

namespace Slipway.Web.Components.Runs;

/// <summary>The start of an artifact file as text, and whether the file went on past it.</summary>
public sealed record ArtifactSnippet(string Text, bool Truncated, long BytesRead);

/// <summary>
/// Reads a run's artifacts for the browser. Every path is relative to the run's artifact root and normalized by
/// <see cref="ArtifactPath.Normalize"/> before it is joined to the root, so nothing outside the run can be read.
/// </summary>
public sealed class ArtifactReader(IArtifactStore store, string root)
{
    /// <summary>The most a preview reads: enough for logs and tables, small enough for the browser connection.</summary>
    public const int PreviewBytes = 1024 * 1024;

    /// <summary>The run's artifact root in the store, e.g. <c>1/&lt;run&gt;/artifacts</c>.</summary>
    public string Root { get; } = root;

    public string StorePath(string relative) => ArtifactPath.Combine(Root, ArtifactPath.Normalize(relative));

    public Task<IReadOnlyList<ArtifactEntry>> ListAsync(string relative, CancellationToken ct) =>
        store.ListAsync(StorePath(relative), ct);

    /// <summary>Up to <paramref name="maxBytes"/> of the file as UTF-8, or null when there is no such file.</summary>
    public async Task<ArtifactSnippet?> ReadTextAsync(string relative, int maxBytes, CancellationToken ct)
    {
        await using var stream = await store.OpenReadAsync(StorePath(relative), ct);
        if (stream is null)
            return null;
        // One byte past the cap tells a file of exactly the cap from a longer one. The buffer is pooled: previews
        // are clicked through quickly, and a fresh megabyte each time would land on the large object heap.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        try
        {
            var filled = 0;
            int read;
            while (filled <= maxBytes && (read = await stream.ReadAsync(buffer.AsMemory(filled, maxBytes + 1 - filled), ct)) > 0)
                filled += read;
            var truncated = filled > maxBytes;
            var length = Math.Min(filled, maxBytes);
            return new ArtifactSnippet(Encoding.UTF8.GetString(buffer, 0, length), truncated, length);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The URL of the artifact proxy's download route for a file: <c>api/2.0/mlflow-artifacts/artifacts/&lt;store path&gt;</c>,
    /// each segment percent-encoded once (the route decodes the raw target exactly once).
    /// </summary>
    public string DownloadUrl(string relative) =>
        "api/2.0/mlflow-artifacts/artifacts/" + string.Join('/', StorePath(relative).Split('/').Select(Uri.EscapeDataString));
}
