using Slipway.Core.Errors;
using Slipway.Serving.DataPlane;

namespace Slipway.Serving.Endpoints;

public sealed partial class EndpointManager
{
    private sealed record Resolution(EndpointRuntime Runtime, RouteSlot Slot, string Reference, ResolvedModel? Model, string? Error);

    private sealed record LoadRequest(EndpointRuntime Runtime, RouteSlot Slot, ResolvedModel Model);

    /// <summary>
    /// Applies the specs of the <see cref="IEndpointSpecSource"/> (this process's store, a control plane, or a file) and
    /// starts the loads they need; returns a task that completes when those loads have.
    /// </summary>
    private async Task<Task> ReconcileOnceAsync(CancellationToken ct)
    {
        await _passLock.WaitAsync(ct);
        var released = new List<LiveModel>();
        List<LoadRequest> loads;
        try
        {
            var records = await _specs.ListAsync(ct);
            List<(EndpointRuntime Runtime, RouteSlot Slot, string Reference)> routes = [];
            lock (_gate)
            {
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var record in records)
                {
                    names.Add(record.Spec.Name);
                    ApplyRecord(record, released);
                }
                foreach (var name in _endpoints.Keys)
                {
                    if (!names.Contains(name))
                        RemoveRuntime(name, released);
                }
                foreach (var runtime in _endpoints.Values)
                {
                    foreach (var slot in runtime.Slots)
                        routes.Add((runtime, slot, slot.Spec.Model));
                }
            }

            // Resolving may read the registry (an alias that is not cached) or ask a control plane, so it happens outside
            // the lock, and once per distinct reference however many routes share it.
            var resolved = new Dictionary<string, (ResolvedModel? Model, string? Error)>(StringComparer.Ordinal);
            var resolutions = new List<Resolution>(routes.Count);
            foreach (var (runtime, slot, reference) in routes)
            {
                if (!resolved.TryGetValue(reference, out var outcome))
                {
                    outcome = await ResolveAsync(reference, ct);
                    resolved[reference] = outcome;
                }
                resolutions.Add(new Resolution(runtime, slot, reference, outcome.Model, outcome.Error));
            }

            lock (_gate)
                loads = Plan(resolutions);
        }
        finally
        {
            _passLock.Release();
        }
        ReleaseAll(released);
        return loads.Count == 0 ? Task.CompletedTask : Task.WhenAll(loads.ConvertAll(LoadAsync));
    }

    /// <summary>Creates or updates the endpoint's runtime when the record is newer than what it serves.</summary>
    private void ApplyRecord(EndpointRecord record, List<LiveModel> released)
    {
        var runtime = _endpoints.GetOrAdd(record.Spec.Name, name => new EndpointRuntime(name));
        // Revisions only grow, except when an endpoint is deleted and created again under the same name.
        if (runtime.Spec is null || record.Revision > runtime.Revision || record.CreationTimestamp != runtime.CreationTimestamp)
            runtime.Apply(record, released);
    }

    private void RemoveRuntime(string name, List<LiveModel> released)
    {
        if (!_endpoints.TryRemove(name, out var runtime))
            return;
        runtime.Remove(released);
        EndpointLog.EndpointRemoved(_logger, name);
    }

    private async Task<(ResolvedModel? Model, string? Error)> ResolveAsync(string reference, CancellationToken ct)
    {
        try
        {
            return (await _models.ResolveAsync(reference, ct), null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return (null, Describe(e));
        }
    }

    /// <summary>Decides, per route, whether its resolved version needs loading; the routes' state is updated here.</summary>
    private List<LoadRequest> Plan(List<Resolution> resolutions)
    {
        var loads = new List<LoadRequest>();
        var now = _clock.GetUtcNow();
        foreach (var (runtime, slot, reference, model, error) in resolutions)
        {
            if (slot.Detached || slot.Spec.Model != reference)
                continue;
            if (model is null)
            {
                // The reference points nowhere right now (alias deleted, path gone): keep serving what we have.
                if (slot.Pending is null && slot.Error != error)
                {
                    slot.Error = error;
                    runtime.Publish();
                    EndpointLog.RouteFailed(_logger, runtime.Target.Name, slot.Spec.Name, error!);
                }
                continue;
            }
            if (slot.Serving?.Source.Key == model.Key)
            {
                // Already serving it (an alias that moved back cancels a load in progress).
                if (slot.Pending is not null || slot.Error is not null)
                {
                    slot.Pending = null;
                    slot.Error = null;
                    slot.ForgetFailure();
                    runtime.Publish();
                }
                continue;
            }
            if (slot.Pending?.Key == model.Key || (slot.Failed?.Key == model.Key && now < slot.RetryAt))
                continue;
            slot.Pending = model;
            slot.Error = null;
            runtime.Publish();
            loads.Add(new LoadRequest(runtime, slot, model));
        }
        return loads;
    }

    /// <summary>Loads (or shares) the model, then swaps it into the route if the route still wants it.</summary>
    private async Task LoadAsync(LoadRequest request)
    {
        var (runtime, slot, model) = request;
        LiveModel loaded;
        try
        {
            loaded = await _pool.AcquireAsync(model, _shutdown.Token);
        }
        catch (Exception e)
        {
            var error = $"{model.DisplayName} failed to load: {Describe(e)}";
            lock (_gate)
            {
                if (slot.Detached || slot.Pending?.Key != model.Key)
                    return;
                slot.Pending = null;
                slot.Error = error;
                slot.Failed = model;
                slot.RetryAt = _clock.GetUtcNow() + _options.LoadRetryInterval;
                runtime.Publish();
            }
            EndpointLog.RouteFailed(_logger, runtime.Target.Name, slot.Spec.Name, error);
            return;
        }

        LiveModel? replaced = null;
        var accepted = false;
        lock (_gate)
        {
            if (!slot.Detached && slot.Pending?.Key == model.Key)
            {
                replaced = slot.Serving;
                slot.Serving = loaded;
                slot.Pending = null;
                slot.Error = null;
                slot.ForgetFailure();
                runtime.Publish();
                accepted = true;
            }
        }
        if (!accepted)
        {
            _pool.Release(loaded);
            return;
        }
        EndpointLog.RouteSwapped(_logger, runtime.Target.Name, slot.Spec.Name, loaded.DisplayName);
        if (replaced is not null)
            _pool.Release(replaced);
    }

    private static string Describe(Exception e) => e switch
    {
        SlipwayException slipway => slipway.Message,
        AggregateException { InnerException: { } inner } => Describe(inner),
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
