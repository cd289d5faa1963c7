namespace Slipway.Serving.Endpoints;

/// <summary>
/// The manager's bookkeeping for one route (or the shadow): the model it serves, the version being loaded for it, and
/// the last failure. Only touched under the manager's lock; requests never see it, they see the published table.
/// </summary>
internal sealed class RouteSlot(RouteSpec spec)
{
    public RouteSpec Spec { get; set; } = spec;

    public LiveModel? Serving { get; set; }

    /// <summary>The version being loaded to replace <see cref="Serving"/>; a finished load that no longer matches it is dropped.</summary>
    public ResolvedModel? Pending { get; set; }

    /// <summary>Why the route cannot serve what its reference points at (resolution or load failure); the old version keeps serving.</summary>
    public string? Error { get; set; }

    /// <summary>The version whose load failed, not retried before <see cref="RetryAt"/> unless the spec changes.</summary>
    public ResolvedModel? Failed { get; set; }

    public DateTimeOffset RetryAt { get; set; }

    /// <summary>Set when the route left the spec (or the endpoint was deleted): loads finishing for it are released.</summary>
    public bool Detached { get; set; }

    /// <summary>The batcher in front of <see cref="Serving"/> while the endpoint batches; kept in step by <see cref="SyncBatcher"/>.</summary>
    public RouteBatcher? Batcher { get; private set; }

    /// <summary>
    /// Makes <see cref="Batcher"/> match the model the slot serves and the endpoint's batching settings: another model or
    /// other settings get a new batcher, and the one replaced goes to <paramref name="retired"/>, to be retired once a
    /// table without it is published.
    /// </summary>
    public void SyncBatcher(string endpoint, BatchingSpec? batching, List<RouteBatcher> retired)
    {
        if (Batcher is { } current && (current.Model != Serving || current.Spec != batching))
        {
            retired.Add(current);
            Batcher = null;
        }
        if (Batcher is null && Serving is { } model && batching is not null)
            Batcher = RouteBatcher.Start(model, batching, endpoint, Spec.Name);
    }

    public void ForgetFailure()
    {
        Failed = null;
        RetryAt = default;
    }

    public RouteStatus Status() => new(
        Spec.Name,
        Spec.Model,
        Spec.Weight,
        Serving?.Source.Version,
        Pending is not null ? RouteStates.Loading : Error is not null ? RouteStates.Failed : Serving is not null ? RouteStates.Ready : RouteStates.Loading,
        Pending?.Version ?? (Error is not null ? Failed?.Version : null),
        Pending is null ? Error : null,
        Serving?.Model.LoadTime.TotalMilliseconds,
        Serving?.Model.MemoryBytes);
}

/// <summary>One endpoint as the manager holds it: its current spec and revision, its route slots, and the live target.</summary>
internal sealed class EndpointRuntime(string name)
{
    // Batchers replaced or detached, retired by the next Publish once no table holds them.
    private readonly List<RouteBatcher> _retiring = [];

    public ServedEndpoint Target { get; } = new(name);

    public EndpointSpec? Spec { get; private set; }

    public long Revision { get; private set; }

    public long CreationTimestamp { get; private set; }

    public List<RouteSlot> Routes { get; } = [];

    public RouteSlot? Shadow { get; private set; }

    public IEnumerable<RouteSlot> Slots => Shadow is null ? Routes : Routes.Append(Shadow);

    /// <summary>
    /// Applies a new revision: routes keep their slot (and the model it serves) by name, so an update that only changes
    /// weights swaps nothing, and a changed reference keeps the old model serving until the new one is loaded. Models of
    /// routes that left the spec are added to <paramref name="released"/>. A new revision also retries failed loads.
    /// </summary>
    public void Apply(EndpointRecord record, List<LiveModel> released)
    {
        var previous = Routes.ToDictionary(r => r.Spec.Name, StringComparer.Ordinal);
        Routes.Clear();
        foreach (var spec in record.Spec.Routes)
            Routes.Add(previous.Remove(spec.Name, out var slot) ? Update(slot, spec) : new RouteSlot(spec));
        foreach (var gone in previous.Values)
            Detach(gone, released);

        if (record.Spec.Shadow is not { } shadow)
        {
            if (Shadow is not null)
                Detach(Shadow, released);
            Shadow = null;
        }
        else
        {
            Shadow = Shadow is null ? new RouteSlot(shadow) : Update(Shadow, shadow);
        }
        Spec = record.Spec;
        Revision = record.Revision;
        CreationTimestamp = record.CreationTimestamp;
        Publish();
    }

    public void Remove(List<LiveModel> released)
    {
        foreach (var slot in Slots)
            Detach(slot, released);
        Routes.Clear();
        Shadow = null;
        Target.Publish(new RoutingTable([], null, null, "it has been deleted"));
        RetireBatchers();
    }

    /// <summary>
    /// Builds and publishes the routing table from what each slot serves now, with a batcher per route while the spec
    /// batches (the shadow runs unbatched: it is extra work that must never hold up or crowd out live requests).
    /// Batchers replaced are retired only after the new table is out, so that no request is sent back to a table that
    /// only holds retired batchers.
    /// </summary>
    public void Publish()
    {
        var live = new List<LiveRoute>(Routes.Count);
        foreach (var slot in Routes)
        {
            slot.SyncBatcher(Target.Name, Spec?.Batching, _retiring);
            if (slot.Serving is { } model)
                live.Add(new LiveRoute(slot.Spec.Name, slot.Spec.Weight, model, slot.Batcher));
        }
        Shadow?.SyncBatcher(Target.Name, null, _retiring);
        var shadow = Shadow?.Serving is { } shadowModel ? new LiveRoute(Shadow.Spec.Name, 0, shadowModel) : null;
        Target.Publish(new RoutingTable(live, shadow, Spec?.StickyHeader, NotReadyReason(), Spec?.LogSampleRate ?? 0));
        RetireBatchers();
    }

    /// <summary>Requests waiting in each batching route's queue, by route name.</summary>
    public Dictionary<string, int> QueueDepths()
    {
        var depths = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var slot in Routes)
        {
            if (slot.Batcher is { } batcher)
                depths[slot.Spec.Name] = batcher.QueueDepth;
        }
        return depths;
    }

    /// <summary>Every batcher still running, for shutdown (which disposes them before the models they hold).</summary>
    public IEnumerable<RouteBatcher> Batchers => Slots.Select(s => s.Batcher).OfType<RouteBatcher>();

    public EndpointStatus Status() => new(
        Target.Name,
        Target.IsReady,
        Routes.ConvertAll(r => r.Status()),
        Shadow?.Status());

    private string NotReadyReason()
    {
        foreach (var slot in Routes)
        {
            if (slot.Spec.Weight <= 0)
                continue;
            if (slot.Pending is { } pending)
                return $"route '{slot.Spec.Name}' is loading {pending.DisplayName}";
            if (slot.Error is { } error)
                return $"route '{slot.Spec.Name}' failed: {error}";
        }
        return Routes.Count == 0 ? "it has no routes" : "its models are being resolved";
    }

    private static RouteSlot Update(RouteSlot slot, RouteSpec spec)
    {
        if (slot.Spec.Model != spec.Model)
            slot.Error = null;
        slot.Spec = spec;
        slot.ForgetFailure();
        return slot;
    }

    private void Detach(RouteSlot slot, List<LiveModel> released)
    {
        slot.Detached = true;
        slot.Pending = null;
        if (slot.Serving is { } model)
            released.Add(model);
        slot.Serving = null;
        slot.SyncBatcher(Target.Name, null, _retiring);
    }

    private void RetireBatchers()
    {
        foreach (var batcher in _retiring)
            _ = batcher.RetireAsync();
        _retiring.Clear();
    }
}
