using Slipway.Artifacts;
using Slipway.Serving.Logging;

namespace Slipway.Monitoring.InferenceLog;

/// <summary>A Parquet segment of the inference log: its artifact-store path and its size as the store listed it.</summary>
internal readonly record struct SegmentFile(string StorePath, long? Size);

/// <summary>
/// Finds the Parquet segments a window needs by listing the <c>date=YYYY-MM-DD</c> folders and keeping the days
/// that overlap it, so DuckDB never opens (or even globs) the rest of an endpoint's history, and an object store
/// never sends it.
/// </summary>
internal static class InferenceLogFiles
{
    private const string DatePrefix = "date=";

    /// <summary>The prediction segments of the UTC days that overlap [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    public static Task<List<SegmentFile>> SegmentsAsync(IArtifactStore store, string endpoint, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var first = DateOnly.FromDateTime(from.UtcDateTime);
        // To is exclusive: a window ending at midnight does not touch the next day.
        var last = DateOnly.FromDateTime(to.UtcDateTime.AddTicks(-1));
        return ListAsync(store, InferenceLogPaths.EndpointFolder(endpoint), first, last, ct);
    }

    /// <summary>
    /// The feedback segments that can label rows of a window starting at <paramref name="from"/>. Feedback is filed
    /// under the day it arrived, which is never before its request's day; the day before the window is kept as well
    /// because replicas' clocks can disagree around midnight.
    /// </summary>
    public static Task<List<SegmentFile>> FeedbackAsync(IArtifactStore store, string endpoint, DateTimeOffset from, CancellationToken ct)
    {
        var first = DateOnly.FromDateTime(from.UtcDateTime);
        if (first > DateOnly.MinValue)
            first = first.AddDays(-1);
        return ListAsync(store, InferenceLogPaths.EndpointFolder(endpoint) + "/feedback", first, DateOnly.MaxValue, ct);
    }

    private static async Task<List<SegmentFile>> ListAsync(IArtifactStore store, string folder, DateOnly first, DateOnly last, CancellationToken ct)
    {
        var files = new List<SegmentFile>();
        // The store lists by name, and date=YYYY-MM-DD sorts by day, so the files come out in write order.
        foreach (var day in await store.ListAsync(folder, ct))
        {
            if (!day.IsDirectory
                || !day.Name.StartsWith(DatePrefix, StringComparison.Ordinal)
                || !InferenceLogPaths.TryParseDate(day.Name[DatePrefix.Length..], out var date)
                || date < first
                || date > last)
            {
                continue;
            }
            var dayFolder = folder + "/" + day.Name;
            foreach (var file in await store.ListAsync(dayFolder, ct))
            {
                if (!file.IsDirectory && file.Name.EndsWith(".parquet", StringComparison.Ordinal))
                    files.Add(new SegmentFile(dayFolder + "/" + file.Name, file.Size));
            }
        }
        return files;
    }

    /// <summary>
    /// DuckDB expands glob patterns even inside a list of paths, and has no escape for them; a folder holding one
    /// would silently read other files, so it is refused.
    /// </summary>
    public static string CheckNoGlob(string folder, string path)
    {
        if (path.AsSpan().IndexOfAny("*?[") >= 0)
            throw new InvalidOperationException($"The folder '{folder}' contains a glob character (*, ? or [), which DuckDB cannot read literally.");
        return path;
    }
}
