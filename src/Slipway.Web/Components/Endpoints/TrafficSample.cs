using Prometheus;
using Slipway.Serving;
using Slipway.Serving.Endpoints;

namespace Slipway.Web.Components.Endpoints;

/// <summary>One route's cumulative counters at one moment: its traffic (as the stats API serves it) and the running
/// sum and count of its batch-size histogram.</summary>
public sealed record RouteSample(string Route, RouteTrafficSnapshot Traffic, double BatchRowsSum, long Batches);

/// <summary>Every route's counters and the shadow's, read together at <paramref name="At"/> (Unix milliseconds).</summary>
public sealed record TrafficSample(long At, IReadOnlyList<RouteSample> Routes, ShadowStatistics? Shadow)
{
    /// <summary>
    /// Reads the counters the REST route <c>GET endpoints/{name}/stats</c> reads (the same per-route
    /// <see cref="ServedEndpoint.RouteTraffic"/>), plus the batch-size histogram that only Prometheus records. A route
    /// this process has not served yet reads as zeros.
    /// </summary>
    public static TrafficSample Read(EndpointDetails endpoint, ServedEndpoint? live, long at)
    {
        var name = endpoint.Record.Spec.Name;
        var routes = new List<RouteSample>(endpoint.Status.Routes.Count);
        foreach (var route in endpoint.Status.Routes)
        {
            if (live?.RouteTraffic(route.Name) is not { } traffic)
            {
                routes.Add(new RouteSample(route.Name, EmptyTraffic, 0, 0));
                continue;
            }
            // A route with traffic counters has its metric series too, so WithLabels only looks the series up.
            IHistogram batches = ServingMetrics.BatchSize.WithLabels(name, route.Name);
            routes.Add(new RouteSample(route.Name, traffic, batches.Sum, batches.Count));
        }
        return new TrafficSample(at, routes, live is null || endpoint.Record.Spec.Shadow is null ? null : live.ShadowStatistics);
    }

    private static readonly RouteTrafficSnapshot EmptyTraffic = new(0, 0, 0, []);
}
