using System.Globalization;
using Slipway.Registry.Domain;

namespace Slipway.Serving.Endpoints;

/// <summary>A route of a live endpoint that serves a given model version.</summary>
public sealed record ServingRoute(string Endpoint, string Route, int Weight, bool Shadow);

public sealed partial class EndpointManager
{
    /// <summary>The routes (shadows included) that serve <paramref name="modelName"/> version <paramref name="version"/> right now.</summary>
    public IReadOnlyList<ServingRoute> RoutesServing(string modelName, string version)
    {
        var result = new List<ServingRoute>();
        lock (_gate)
        {
            foreach (var runtime in _endpoints.Values)
            {
                foreach (var slot in runtime.Routes)
                {
                    if (Serves(slot, modelName, version))
                        result.Add(new ServingRoute(runtime.Target.Name, slot.Spec.Name, slot.Spec.Weight, false));
                }
                if (runtime.Shadow is { } shadow && Serves(shadow, modelName, version))
                    result.Add(new ServingRoute(runtime.Target.Name, shadow.Spec.Name, 0, true));
            }
        }
        return result;
    }

    private static bool Serves(RouteSlot slot, string modelName, string version) =>
        slot.Serving?.Source is { LocalPath: null } source && source.ModelName == modelName && source.Version == version;
}

/// <summary>
/// Puts the endpoints serving a model version into its lineage graph: one <c>endpoint:&lt;name&gt;</c> node per endpoint
/// with the serving route(s) and weight(s) as attributes (a shadow route has weight 0 and <c>shadow=true</c>).
/// </summary>
public sealed class EndpointLineage(EndpointManager manager) : ILineageContributor
{
    public Task<IReadOnlyList<LineageNode>> GetServingEndpointsAsync(string modelName, long version, CancellationToken ct)
    {
        var nodes = new List<LineageNode>();
        foreach (var endpoint in manager.RoutesServing(modelName, version.ToString(CultureInfo.InvariantCulture)).GroupBy(r => r.Endpoint, StringComparer.Ordinal))
        {
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["endpoint"] = endpoint.Key,
                ["route"] = string.Join(",", endpoint.Select(r => r.Route)),
                ["weight"] = string.Join(",", endpoint.Select(r => r.Weight.ToString(CultureInfo.InvariantCulture))),
            };
            if (endpoint.Any(r => r.Shadow))
                attributes["shadow"] = string.Join(",", endpoint.Select(r => r.Shadow ? "true" : "false"));
            nodes.Add(new LineageNode("endpoint:" + endpoint.Key, "endpoint", endpoint.Key, attributes));
        }
        return Task.FromResult<IReadOnlyList<LineageNode>>(nodes);
    }
}
