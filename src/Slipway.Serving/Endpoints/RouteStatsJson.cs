using System.Text.Json;

namespace Slipway.Serving.Endpoints;

/// <summary>
/// Writes the answer of <c>GET /api/slipway/v1/endpoints/{name}/stats</c>: per route of the spec, in spec order, its
/// model, the version it serves, and its traffic counters since the route's series were created on this replica
/// (zeros for a route that has had none). The last latency bucket's bound is the string <c>"+Inf"</c>, as Prometheus
/// writes it. A deployment with several replicas answers for the one that took the request.
/// </summary>
internal static class RouteStatsJson
{
    public static void Write(Utf8JsonWriter w, EndpointDetails endpoint, ServedEndpoint? live, long collectedAt)
    {
        w.WriteString("endpoint", endpoint.Record.Spec.Name);
        w.WriteNumber("collected_at", collectedAt);
        w.WriteStartArray("routes");
        foreach (var route in endpoint.Status.Routes)
        {
            var traffic = live?.RouteTraffic(route.Name) ?? RouteTraffic.Empty;
            w.WriteStartObject();
            w.WriteString("name", route.Name);
            w.WriteString("model", route.Model);
            if (route.ServingVersion is not null)
                w.WriteString("serving_version", route.ServingVersion);
            w.WriteNumber("weight", route.Weight);
            w.WriteNumber("requests", traffic.Requests);
            w.WriteNumber("errors", traffic.Errors);
            w.WriteNumber("latency_seconds_sum", traffic.LatencySecondsSum);
            w.WriteStartArray("latency_buckets");
            foreach (var bucket in traffic.LatencyBuckets)
            {
                w.WriteStartObject();
                if (double.IsPositiveInfinity(bucket.UpperBound))
                    w.WriteString("le", "+Inf");
                else
                    w.WriteNumber("le", bucket.UpperBound);
                w.WriteNumber("count", bucket.Count);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
