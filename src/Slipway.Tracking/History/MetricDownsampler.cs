using Slipway.Tracking.Domain;

namespace Slipway.Tracking.History;

/// <summary>
/// Thins a long metric history for drawing (M4 aggregation): the points are cut into equal runs and each run keeps
/// its first, lowest, highest and last point, in step order. A line through the kept points has the same outline as
/// one through all of them, so spikes and dips survive, and the global minimum and maximum are always kept.
/// </summary>
public static class MetricDownsampler
{
    /// <summary>The fewest points a caller may ask for: one bucket's four.</summary>
    public const int MinPoints = 4;

    /// <summary>
    /// Reads <paramref name="history"/> (in step order, as the store returns it) and returns at most
    /// <paramref name="maxPoints"/> points; a history that already fits is returned whole.
    /// </summary>
    public static async Task<SampledHistory> DownsampleAsync(IAsyncEnumerable<Metric> history, int maxPoints, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, MinPoints);
        var points = new List<Metric>();
        await foreach (var metric in history.WithCancellation(ct))
            points.Add(metric);
        return new SampledHistory(Downsample(points, maxPoints), points.Count);
    }

    /// <summary>The synchronous core of <see cref="DownsampleAsync"/> over points already in memory.</summary>
    public static IReadOnlyList<Metric> Downsample(IReadOnlyList<Metric> points, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, MinPoints);
        if (points.Count <= maxPoints)
            return points;
        var buckets = maxPoints / 4;
        var kept = new List<Metric>(buckets * 4);
        Span<int> chosen = stackalloc int[4];
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            // Integer bounds spread the remainder over the buckets, so every point lands in exactly one.
            var start = (int)((long)points.Count * bucket / buckets);
            var end = (int)((long)points.Count * (bucket + 1) / buckets);
            int low = -1, high = -1;
            for (var i = start; i < end; i++)
            {
                var value = points[i].Value;
                if (double.IsNaN(value))
                    continue;
                if (low < 0 || value < points[low].Value)
                    low = i;
                if (high < 0 || value > points[high].Value)
                    high = i;
            }
            chosen[0] = start;
            chosen[1] = low < 0 ? start : low;
            chosen[2] = high < 0 ? start : high;
            chosen[3] = end - 1;
            chosen.Sort();
            var previous = -1;
            foreach (var index in chosen)
            {
                if (index == previous)
                    continue;
                kept.Add(points[index]);
                previous = index;
            }
        }
        return kept;
    }
}

/// <summary>A drawable history: the kept points and how many the full history has.</summary>
public sealed record SampledHistory(IReadOnlyList<Metric> Points, int TotalCount)
{
    /// <summary>True when points were dropped.</summary>
    public bool IsSampled => Points.Count < TotalCount;
}
