using Slipway.Serving.Endpoints;

namespace Slipway.Web.Components.Endpoints;

/// <summary>
/// One route's traffic over the window between two samples: requests per second, latency quantiles from the
/// histogram buckets, the share of failed requests and the mean rows per model run. NaN where the window had nothing
/// to measure (no answers, no batches).
/// </summary>
public sealed record RouteFigures(
    string Route, long Requests, double RequestsPerSecond, double P50Seconds, double P99Seconds, double ErrorRate, double MeanBatchSize)
{
    /// <summary>
    /// The figures of the window from <paramref name="earlier"/> to <paramref name="later"/>. When a counter went down
    /// the route's series were recreated (the route was removed and added again), and <paramref name="later"/> alone is
    /// the window, as Prometheus' <c>increase()</c> assumes.
    /// </summary>
    public static RouteFigures Between(RouteSample earlier, RouteSample later, double seconds)
    {
        var a = earlier.Traffic;
        var b = later.Traffic;
        var reset = b.Requests < a.Requests || b.Errors < a.Errors || Answered(b) < Answered(a) || a.LatencyBuckets.Count != b.LatencyBuckets.Count;
        var requests = reset ? b.Requests : b.Requests - a.Requests;
        var errors = reset ? b.Errors : b.Errors - a.Errors;
        var buckets = reset ? b.LatencyBuckets : Subtract(b.LatencyBuckets, a.LatencyBuckets);
        var batches = later.Batches - earlier.Batches;
        var batchRows = later.BatchRowsSum - earlier.BatchRowsSum;
        if (batches < 0)
            (batches, batchRows) = (later.Batches, later.BatchRowsSum);
        return new RouteFigures(
            later.Route,
            requests,
            seconds > 0 ? requests / seconds : double.NaN,
            Quantile(buckets, 0.5),
            Quantile(buckets, 0.99),
            requests == 0 ? double.NaN : (double)errors / requests,
            batches == 0 ? double.NaN : batchRows / batches);
    }

    /// <summary>
    /// The <paramref name="q"/>-quantile as Prometheus' <c>histogram_quantile</c> estimates it (and the SDK's
    /// <c>EndpointRouteStats.LatencyQuantile</c>): linear inside the bucket holding the rank; a rank in the +∞ bucket
    /// answers the highest finite bound. NaN without answers.
    /// </summary>
    public static double Quantile(IReadOnlyList<LatencyBucketCount> buckets, double q)
    {
        var total = buckets.Count == 0 ? 0 : buckets[^1].Count;
        if (total == 0)
            return double.NaN;
        var rank = q * total;
        for (var i = 0; i < buckets.Count; i++)
        {
            if (buckets[i].Count < rank)
                continue;
            if (double.IsPositiveInfinity(buckets[i].UpperBound))
                return i == 0 ? double.NaN : buckets[i - 1].UpperBound;
            var lower = i == 0 ? 0 : buckets[i - 1].UpperBound;
            var below = i == 0 ? 0 : buckets[i - 1].Count;
            var inBucket = buckets[i].Count - below;
            return inBucket == 0 ? buckets[i].UpperBound : lower + (buckets[i].UpperBound - lower) * (rank - below) / inBucket;
        }
        return buckets[^1].UpperBound;
    }

    private static long Answered(RouteTrafficSnapshot traffic) => traffic.LatencyBuckets.Count == 0 ? 0 : traffic.LatencyBuckets[^1].Count;

    private static LatencyBucketCount[] Subtract(IReadOnlyList<LatencyBucketCount> later, IReadOnlyList<LatencyBucketCount> earlier)
    {
        var window = new LatencyBucketCount[later.Count];
        for (var i = 0; i < window.Length; i++)
            window[i] = later[i] with { Count = Math.Max(0, later[i].Count - earlier[i].Count) };
        return window;
    }
}

/// <summary>The shadow's traffic over a window: copies per second, and the share of finished runs that disagreed or failed.</summary>
public sealed record ShadowFigures(double RequestsPerSecond, double DisagreementRate, double ErrorRate, long Dropped)
{
    /// <summary>
    /// The figures of the window from <paramref name="earlier"/> to <paramref name="later"/>. As for
    /// <see cref="RouteFigures.Between"/>, a counter that went down means the shadow's counters started again (the
    /// endpoint or its shadow was re-created), and <paramref name="later"/> alone is the window.
    /// </summary>
    public static ShadowFigures Between(ShadowStatistics earlier, ShadowStatistics later, double seconds)
    {
        var reset = later.Requests < earlier.Requests || later.Completed < earlier.Completed || later.Disagreements < earlier.Disagreements
            || later.Errors < earlier.Errors || later.Dropped < earlier.Dropped;
        var start = reset ? new ShadowStatistics(0, 0, 0, 0, 0) : earlier;
        var completed = later.Completed - start.Completed;
        return new ShadowFigures(
            seconds > 0 ? (later.Requests - start.Requests) / seconds : double.NaN,
            completed <= 0 ? double.NaN : (double)(later.Disagreements - start.Disagreements) / completed,
            completed <= 0 ? double.NaN : (double)(later.Errors - start.Errors) / completed,
            later.Dropped - start.Dropped);
    }
}
