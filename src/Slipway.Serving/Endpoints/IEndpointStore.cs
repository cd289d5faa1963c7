using Slipway.Core.Audit;

namespace Slipway.Serving.Endpoints;

/// <summary>
/// Persistence of endpoint specs. Every change appends an audit event (resource <c>endpoints/{name}</c>, actions
/// <c>endpoint.created</c>, <c>endpoint.updated</c>, <c>endpoint.deleted</c>, before/after = the spec) in its
/// transaction, and bumps <see cref="EndpointRecord.Revision"/> so that serving processes can follow changes.
/// </summary>
public interface IEndpointStore
{
    /// <summary>Creates an endpoint; a duplicate name is <c>RESOURCE_ALREADY_EXISTS</c>.</summary>
    Task<EndpointRecord> CreateAsync(EndpointSpec spec, long now, AuditContext audit, CancellationToken ct);

    /// <summary>Replaces the spec; an unknown name is <c>RESOURCE_DOES_NOT_EXIST</c>.</summary>
    Task<EndpointRecord> UpdateAsync(EndpointSpec spec, long now, AuditContext audit, CancellationToken ct);

    Task<EndpointRecord?> GetAsync(string name, CancellationToken ct);

    Task<IReadOnlyList<EndpointRecord>> ListAsync(CancellationToken ct);

    Task DeleteAsync(string name, long now, AuditContext audit, CancellationToken ct);
}
