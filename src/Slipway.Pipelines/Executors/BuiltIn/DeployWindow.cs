using System.Globalization;
using Slipway.Client;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>
/// The traffic of one observation window: the new route's, and the old routes' added together, each the difference of
/// two snapshots of the endpoint's route counters.
/// </summary>
internal sealed record DeployWindow(EndpointRouteStats New, EndpointRouteStats Old)
{
    /// <summary>p99 latency of the new route's answers in the window, in milliseconds (NaN when it answered none).</summary>
    public double NewP99Ms { get; } = New.LatencyQuantile(0.99) * 1000;

    /// <summary>p99 latency of the old routes' answers in the window, in milliseconds (NaN when they answered none).</summary>
    public double OldP99Ms { get; } = Old.LatencyQuantile(0.99) * 1000;

    public static DeployWindow Between(EndpointStats start, EndpointStats end, string newRoute, IReadOnlyCollection<string> oldRoutes) =>
        new(Delta(start, end, newRoute), Sum(oldRoutes.Select(name => Delta(start, end, name)).ToList()));

    /// <summary>Why the new route regressed in this window, or null when it did not.</summary>
    public string? Judge(DeploySettings settings)
    {
        var newRate = New.ErrorRate;
        var oldRate = Old.ErrorRate;
        if (newRate > settings.MaxErrorRate)
            return $"new route error rate {Rate(newRate)} > {Rate(settings.MaxErrorRate)} (old {Rate(oldRate)})";
        if (Old.Requests >= settings.MinRequests && newRate - oldRate > settings.MaxErrorRateIncrease)
            return $"new route error rate {Rate(newRate)} is more than {Rate(settings.MaxErrorRateIncrease)} above the old route's {Rate(oldRate)}";
        if (settings.MaxP99Ms is { } cap && NewP99Ms > cap)
            return $"new route p99 {Ms(NewP99Ms)} > max_p99_ms {Ms(cap)}";
        // Below the floor, latency differences are bucket resolution and scheduling noise, not a regression.
        if (New.Answered >= settings.MinRequests && Old.Answered >= settings.MinRequests &&
            NewP99Ms > settings.LatencyFloorMs && NewP99Ms > settings.MaxLatencyRatio * OldP99Ms)
            return $"new route p99 {Ms(NewP99Ms)} > {settings.MaxLatencyRatio.ToString(CultureInfo.InvariantCulture)} × old p99 {Ms(OldP99Ms)}";
        return null;
    }

    public string Describe() =>
        $"new route {New.Requests} requests, error rate {Rate(New.ErrorRate)}, p99 {Ms(NewP99Ms)}; " +
        $"old {Old.Requests} requests, error rate {Rate(Old.ErrorRate)}, p99 {Ms(OldP99Ms)}";

    /// <summary>A route's traffic between the snapshots; a route missing from the later one had none.</summary>
    private static EndpointRouteStats Delta(EndpointStats start, EndpointStats end, string route)
    {
        var later = end.Route(route);
        if (later is null)
            return new EndpointRouteStats { Name = route };
        return start.Route(route) is { } earlier && earlier.LatencyBuckets.Count == later.LatencyBuckets.Count ? later.Minus(earlier) : later;
    }

    /// <summary>Several routes' traffic as one: counts and latency buckets added up.</summary>
    private static EndpointRouteStats Sum(IReadOnlyList<EndpointRouteStats> routes)
    {
        var bounds = routes.FirstOrDefault(r => r.LatencyBuckets.Count > 0)?.LatencyBuckets ?? [];
        var counts = new long[bounds.Count];
        foreach (var route in routes)
        {
            if (route.LatencyBuckets.Count != counts.Length)
                continue;
            for (var i = 0; i < counts.Length; i++)
                counts[i] += route.LatencyBuckets[i].Count;
        }
        return new EndpointRouteStats
        {
            Name = string.Join("+", routes.Select(r => r.Name)),
            Requests = routes.Sum(r => r.Requests),
            Errors = routes.Sum(r => r.Errors),
            LatencySecondsSum = routes.Sum(r => r.LatencySecondsSum),
            LatencyBuckets = [.. bounds.Select((b, i) => b with { Count = counts[i] })],
        };
    }

    private static string Rate(double rate) => rate.ToString("0.00##", CultureInfo.InvariantCulture);

    private static string Ms(double milliseconds) =>
        double.IsFinite(milliseconds) ? milliseconds.ToString("0.0##", CultureInfo.InvariantCulture) + " ms" : "n/a";
}
