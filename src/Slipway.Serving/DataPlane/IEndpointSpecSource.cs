using Slipway.Serving.Endpoints;

namespace Slipway.Serving.DataPlane;

/// <summary>
/// Where a serving process reads the endpoints it should serve. <see cref="EndpointManager"/> lists them on every
/// reconcile pass and applies a record only when its <see cref="EndpointRecord.Revision"/> (or creation time) changed,
/// so a source must bump the revision whenever an endpoint's spec changes. An endpoint missing from a listing stops
/// being served; a listing that throws changes nothing (the previous specs keep serving).
/// </summary>
public interface IEndpointSpecSource
{
    Task<IReadOnlyList<EndpointRecord>> ListAsync(CancellationToken ct);
}

/// <summary>The specs stored in this process's database: <c>slipway server</c>, where the control plane also serves.</summary>
public sealed class StoreEndpointSpecSource(IEndpointStore store) : IEndpointSpecSource
{
    public Task<IReadOnlyList<EndpointRecord>> ListAsync(CancellationToken ct) => store.ListAsync(ct);
}
