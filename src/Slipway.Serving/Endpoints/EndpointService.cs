using Slipway.Core.Audit;

namespace Slipway.Serving.Endpoints;

/// <summary>
/// An endpoint as the control plane reports it: the stored spec, what this process serves, its shadow's counts, and
/// the requests waiting in each batching route's queue (by route name).
/// </summary>
public sealed record EndpointDetails(
    EndpointRecord Record, EndpointStatus Status, ShadowStatistics? ShadowStatistics, IReadOnlyDictionary<string, int>? QueueDepths = null);

/// <summary>
/// The endpoint control plane: validates specs (<see cref="EndpointValidator"/>), stores them with their audit events,
/// and hands each change to the <see cref="EndpointManager"/> at once so that the answer already shows the new routes
/// (loading, or still serving when only weights changed). The REST and CLI adapters only translate to and from this.
/// </summary>
public sealed class EndpointService(IEndpointStore store, EndpointManager manager, ModelResolver resolver, TimeProvider clock)
{
    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<EndpointDetails> CreateAsync(EndpointSpec spec, AuditContext audit, CancellationToken ct)
    {
        EndpointValidator.Validate(spec, resolver);
        var record = await store.CreateAsync(spec, Now, audit, ct);
        await manager.ApplyAsync(record, CancellationToken.None);
        return Details(record);
    }

    /// <summary>Replaces the spec of an existing endpoint; routes that keep their name keep serving while new versions load.</summary>
    public async Task<EndpointDetails> UpdateAsync(EndpointSpec spec, AuditContext audit, CancellationToken ct)
    {
        EndpointValidator.Validate(spec, resolver);
        var record = await store.UpdateAsync(spec, Now, audit, ct);
        await manager.ApplyAsync(record, CancellationToken.None);
        return Details(record);
    }

    public async Task<EndpointDetails> GetAsync(string name, CancellationToken ct) =>
        Details(await store.GetAsync(name, ct) ?? throw EndpointErrors.NotFound(name));

    public async Task<IReadOnlyList<EndpointDetails>> ListAsync(CancellationToken ct) =>
        (await store.ListAsync(ct)).Select(Details).ToList();

    public async Task DeleteAsync(string name, AuditContext audit, CancellationToken ct)
    {
        await store.DeleteAsync(name, Now, audit, ct);
        await manager.RemoveAsync(name, CancellationToken.None);
    }

    /// <summary>
    /// The record with the manager's live status; an endpoint this process has not picked up yet (written by another
    /// replica a moment ago) shows every route loading.
    /// </summary>
    private EndpointDetails Details(EndpointRecord record)
    {
        var status = manager.GetStatus(record.Spec.Name) ?? Pending(record.Spec);
        var shadow = record.Spec.Shadow is null ? null : manager.FindEndpoint(record.Spec.Name)?.ShadowStatistics;
        var queues = record.Spec.Batching is null ? null : manager.GetQueueDepths(record.Spec.Name);
        return new EndpointDetails(record, status, shadow, queues);
    }

    private static EndpointStatus Pending(EndpointSpec spec) => new(
        spec.Name,
        false,
        spec.Routes.Select(Loading).ToList(),
        spec.Shadow is { } shadow ? Loading(shadow) : null);

    private static RouteStatus Loading(RouteSpec route) =>
        new(route.Name, route.Model, route.Weight, null, RouteStates.Loading, null, null, null, null);
}
