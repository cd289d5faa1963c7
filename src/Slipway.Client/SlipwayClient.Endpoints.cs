using Slipway.Client.Protocol;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    private const string EndpointsPath = SlipwayPrefix + "endpoints";

    /// <summary>Creates a serving endpoint (<c>POST /api/slipway/v1/endpoints</c>); the server starts loading its models at once.</summary>
    /// <returns>The endpoint at revision 1, its routes usually still <c>loading</c>.</returns>
    /// <exception cref="SlipwayApiException">
    /// <c>INVALID_PARAMETER_VALUE</c> for a bad spec (name, weights, model reference, batching);
    /// <c>RESOURCE_ALREADY_EXISTS</c> when the name is taken.
    /// </exception>
    public async Task<ServingEndpoint> CreateEndpointAsync(EndpointSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var response = await SendJsonAsync(HttpMethod.Post, EndpointsPath, spec, SlipwayJsonContext.Default.EndpointSpec, SlipwayJsonContext.Default.EndpointResponse, ct).ConfigureAwait(false);
        return response.Endpoint ?? throw MissingField("endpoint");
    }

    /// <summary>
    /// Replaces an endpoint's spec (<c>PUT /api/slipway/v1/endpoints/{name}</c>). Routes that keep their name keep
    /// serving while new versions load, so changing weights or moving a route to a new version drops no request.
    /// </summary>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown endpoint.</exception>
    public async Task<ServingEndpoint> UpdateEndpointAsync(EndpointSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var response = await SendJsonAsync(HttpMethod.Put, EndpointPath(spec.Name), spec, SlipwayJsonContext.Default.EndpointSpec, SlipwayJsonContext.Default.EndpointResponse, ct).ConfigureAwait(false);
        return response.Endpoint ?? throw MissingField("endpoint");
    }

    /// <summary>Reads an endpoint with its live status (<c>GET /api/slipway/v1/endpoints/{name}</c>).</summary>
    public async Task<ServingEndpoint> GetEndpointAsync(string name, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(EndpointPath(name), [], SlipwayJsonContext.Default.EndpointResponse, ct).ConfigureAwait(false);
        return response.Endpoint ?? throw MissingField("endpoint");
    }

    /// <summary>
    /// Reads each route's traffic counters (<c>GET /api/slipway/v1/endpoints/{name}/stats</c>): requests, errors and
    /// latency buckets, cumulative since the route's series were created on the replica that answers. Take two
    /// snapshots and use <see cref="EndpointRouteStats.Minus"/> for a window, <see cref="EndpointRouteStats.LatencyQuantile"/> for a p99.
    /// </summary>
    /// <exception cref="SlipwayApiException"><c>RESOURCE_DOES_NOT_EXIST</c> for an unknown endpoint.</exception>
    public Task<EndpointStats> GetEndpointStatsAsync(string name, CancellationToken ct = default) =>
        GetJsonAsync(EndpointPath(name) + "/stats", [], SlipwayJsonContext.Default.EndpointStats, ct);

    /// <summary>Lists every endpoint by name (<c>GET /api/slipway/v1/endpoints</c>).</summary>
    public async Task<IReadOnlyList<ServingEndpoint>> ListEndpointsAsync(CancellationToken ct = default)
    {
        var response = await GetJsonAsync(EndpointsPath, [], SlipwayJsonContext.Default.EndpointsResponse, ct).ConfigureAwait(false);
        return response.Endpoints ?? [];
    }

    /// <summary>Deletes an endpoint; the server stops serving it at once (<c>DELETE /api/slipway/v1/endpoints/{name}</c>).</summary>
    public Task DeleteEndpointAsync(string name, CancellationToken ct = default) =>
        DeleteAsync(EndpointPath(name), ct);

    private static string EndpointPath(string name) => EndpointsPath + "/" + Uri.EscapeDataString(name);
}
