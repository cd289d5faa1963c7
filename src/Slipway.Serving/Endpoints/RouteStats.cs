namespace Slipway.Serving.Endpoints;

/// <summary>
/// A route's traffic as read back by the stats API (<c>GET /api/slipway/v1/endpoints/{name}/stats</c>): counts since
/// the route's series were created in this process, so two snapshots give the traffic of the window between them.
/// </summary>
/// <param name="Requests">Requests routed to the route (counted when routed, so one in flight is already in).</param>
/// <param name="Errors">Requests that failed on the route, except those cancelled by their caller.</param>
/// <param name="LatencySecondsSum">Total latency of the requests that were answered.</param>
/// <param name="LatencyBuckets">
/// Answered requests by latency, cumulative as in a Prometheus histogram: each bucket counts the requests at or under
/// its upper bound (seconds); the last bound is <see cref="double.PositiveInfinity"/> and counts every answer.
/// </param>
public sealed record RouteTrafficSnapshot(long Requests, long Errors, double LatencySecondsSum, IReadOnlyList<LatencyBucketCount> LatencyBuckets);

/// <summary>One cumulative latency bucket: the answers that took at most <paramref name="UpperBound"/> seconds.</summary>
public readonly record struct LatencyBucketCount(double UpperBound, long Count);

/// <summary>
/// Cumulative per-route counters beside the Prometheus series, which cannot be read back per route from inside the
/// process. A request only does a few <see cref="Interlocked"/> adds: no lock, no allocation. A snapshot reads the
/// counters one by one, so a request finishing meanwhile may be in one count and not yet in another.
/// </summary>
internal sealed class RouteTraffic
{
    private static readonly double[] UpperBounds = [.. ServingMetrics.LatencyBuckets];

    private readonly long[] _buckets = new long[UpperBounds.Length + 1];
    private long _requests;
    private long _errors;
    private long _latencyTicks;

    public void CountRequest() => Interlocked.Increment(ref _requests);

    /// <summary>Counts a failure, as the endpoint's error metric does, except a cancellation by the caller.</summary>
    public void CountError(Exception exception, CancellationToken ct)
    {
        if (exception is OperationCanceledException && ct.IsCancellationRequested)
            return;
        Interlocked.Increment(ref _errors);
    }

    public void Observe(TimeSpan latency)
    {
        Interlocked.Add(ref _latencyTicks, latency.Ticks);
        var seconds = latency.TotalSeconds;
        var bucket = 0;
        while (bucket < UpperBounds.Length && seconds > UpperBounds[bucket])
            bucket++;
        Interlocked.Increment(ref _buckets[bucket]);
    }

    public RouteTrafficSnapshot Snapshot()
    {
        var buckets = new LatencyBucketCount[_buckets.Length];
        long cumulative = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _buckets[i]);
            buckets[i] = new LatencyBucketCount(i < UpperBounds.Length ? UpperBounds[i] : double.PositiveInfinity, cumulative);
        }
        return new RouteTrafficSnapshot(
            Interlocked.Read(ref _requests), Interlocked.Read(ref _errors), TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks)).TotalSeconds, buckets);
    }

    /// <summary>A route that has not been sent a request in this process yet.</summary>
    public static RouteTrafficSnapshot Empty { get; } = new RouteTraffic().Snapshot();
}
