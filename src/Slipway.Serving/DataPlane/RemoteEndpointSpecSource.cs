using Slipway.Serving.Endpoints;
using RemoteEndpoint = Slipway.Client.ServingEndpoint;
using SlipwayClient = Slipway.Client.SlipwayClient;

namespace Slipway.Serving.DataPlane;

/// <summary>
/// Endpoint specs from a control plane (<c>slipway serve --control-plane</c>): every listing is one
/// <c>GET /api/slipway/v1/endpoints</c>, and the control plane's revisions and creation times are kept, so the
/// manager applies exactly the endpoints that changed since the previous poll.
/// </summary>
public sealed class RemoteEndpointSpecSource(SlipwayClient client) : IEndpointSpecSource
{
    public async Task<IReadOnlyList<EndpointRecord>> ListAsync(CancellationToken ct)
    {
        var endpoints = await ControlPlaneCalls.CallAsync(client, client.ListEndpointsAsync, ControlPlaneCalls.MetadataTimeout, ct);
        return endpoints.Select(ToRecord).ToList();
    }

    internal static EndpointRecord ToRecord(RemoteEndpoint endpoint) => new(
        new EndpointSpec(
            endpoint.Name,
            endpoint.Description,
            endpoint.Routes.Select(r => new RouteSpec(r.Name, r.Model, r.Weight ?? EndpointSpecJson.DefaultWeight)).ToList(),
            endpoint.Shadow is { } shadow ? new RouteSpec(shadow.Name, shadow.Model, 0) : null,
            endpoint.StickyHeader,
            endpoint.Batching is { } batching
                ? new BatchingSpec(batching.MaxBatchSize, TimeSpan.FromMilliseconds(batching.MaxQueueDelayMs), batching.MaxQueueSize)
                : null,
            endpoint.LogSampleRate),
        endpoint.Revision,
        endpoint.CreationTimestamp,
        endpoint.LastUpdatedTimestamp);
}
