using Slipway.Artifacts;

namespace Slipway.Serving.Logging;

/// <summary>One Parquet segment of an endpoint's inference log: its artifact path and size in bytes.</summary>
public sealed record InferenceLogSegment(string Path, long Size);

/// <summary>Lists an endpoint's log segments, for monitoring jobs and the <c>inference-log</c> API.</summary>
public sealed class InferenceLogCatalog(IArtifactStore store)
{
    /// <summary>The segments of one day, or of every day when <paramref name="date"/> is null; oldest day first, by name within a day.</summary>
    public async Task<IReadOnlyList<InferenceLogSegment>> ListSegmentsAsync(string endpoint, DateOnly? date, CancellationToken ct)
    {
        var segments = new List<InferenceLogSegment>();
        if (date is { } day)
        {
            await AddSegmentsAsync(segments, InferenceLogPaths.DateFolder(endpoint, day), ct);
            return segments;
        }
        var root = InferenceLogPaths.EndpointFolder(endpoint);
        foreach (var entry in await store.ListAsync(root, ct))
        {
            // ListAsync sorts by name, and date=YYYY-MM-DD sorts by day.
            if (entry.IsDirectory && entry.Name.StartsWith("date=", StringComparison.Ordinal))
                await AddSegmentsAsync(segments, root + "/" + entry.Name, ct);
        }
        return segments;
    }

    private async Task AddSegmentsAsync(List<InferenceLogSegment> segments, string folder, CancellationToken ct)
    {
        foreach (var entry in await store.ListAsync(folder, ct))
        {
            if (!entry.IsDirectory && entry.Name.EndsWith(".parquet", StringComparison.Ordinal))
                segments.Add(new InferenceLogSegment(folder + "/" + entry.Name, entry.Size ?? 0));
        }
    }
}
