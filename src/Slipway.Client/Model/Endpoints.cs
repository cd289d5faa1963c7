namespace Slipway.Client;

/// <summary>
/// What an endpoint serves: routes sharing traffic by weight, an optional shadow that gets a copy of each request
/// (its answer is never returned), optional sticky routing by a request header, batching and log sampling.
/// </summary>
public sealed record EndpointSpec
{
    /// <summary>The endpoint name: 1 to 63 letters, digits, <c>_</c>, <c>.</c> or <c>-</c>; it is the model name of the inference protocols.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>What the endpoint is for; null for none.</summary>
    public string? Description { get; init; }

    /// <summary>The live routes; at least one, weights 0 to 100 adding up to more than 0.</summary>
    public IReadOnlyList<EndpointRoute> Routes { get; init => field = value ?? []; } = [];

    /// <summary>The shadow route (its <see cref="EndpointRoute.Weight"/> is ignored); null for none.</summary>
    public EndpointRoute? Shadow { get; init; }

    /// <summary>A request header whose value pins a caller to one route, e.g. <c>X-User-Id</c>; null for random weighted routing.</summary>
    public string? StickyHeader { get; init; }

    /// <summary>Adaptive batching; null (the default) for none.</summary>
    public EndpointBatching? Batching { get; init; }

    /// <summary>The fraction of requests written to the inference log, 0 to 1.</summary>
    public double LogSampleRate { get; init; }
}

/// <summary>A route: a model reference and its share of the traffic.</summary>
/// <param name="Name">The route name, unique in the endpoint.</param>
/// <param name="Model"><c>models:/name@alias</c> (follows the alias), <c>models:/name/3</c>, or a path under the server's local model root.</param>
/// <param name="Weight">Its share of the traffic, 0 to 100; null for the server default (100).</param>
public sealed record EndpointRoute(string Name, string Model, int? Weight = null);

/// <summary>Adaptive batching settings of an endpoint.</summary>
/// <param name="MaxBatchSize">Most rows per model run, 1 to 4096.</param>
/// <param name="MaxQueueDelayMs">Longest a request waits for others to batch with, 0 to 1000 ms.</param>
/// <param name="MaxQueueSize">Requests that may wait; beyond that the endpoint answers 429, 1 to 100000.</param>
public sealed record EndpointBatching(int MaxBatchSize, double MaxQueueDelayMs, int MaxQueueSize);

/// <summary>An endpoint as the server reports it: its spec, revision, timestamps and live status.</summary>
public sealed record ServingEndpoint
{
    /// <summary>The endpoint name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>What the endpoint is for; null for none.</summary>
    public string? Description { get; init; }

    /// <summary>The live routes.</summary>
    public IReadOnlyList<EndpointRoute> Routes { get; init => field = value ?? []; } = [];

    /// <summary>The shadow route; null for none.</summary>
    public EndpointRoute? Shadow { get; init; }

    /// <summary>The sticky-routing header; null for none.</summary>
    public string? StickyHeader { get; init; }

    /// <summary>Adaptive batching; null for none.</summary>
    public EndpointBatching? Batching { get; init; }

    /// <summary>The fraction of requests logged.</summary>
    public double LogSampleRate { get; init; }

    /// <summary>1 at creation, plus one per update.</summary>
    public long Revision { get; init; }

    /// <summary>Creation time, milliseconds since the Unix epoch.</summary>
    public long CreationTimestamp { get; init; }

    /// <summary>Last update time, milliseconds since the Unix epoch.</summary>
    public long LastUpdatedTimestamp { get; init; }

    /// <summary>What the server serves for it now.</summary>
    public EndpointStatus Status { get; init => field = value ?? new(); } = new();

    /// <summary>The spec part, e.g. to change it and send it back with <see cref="SlipwayClient.UpdateEndpointAsync"/>.</summary>
    public EndpointSpec ToSpec() => new()
    {
        Name = Name,
        Description = Description,
        Routes = Routes,
        Shadow = Shadow,
        StickyHeader = StickyHeader,
        Batching = Batching,
        LogSampleRate = LogSampleRate,
    };
}

/// <summary>An endpoint's live state.</summary>
public sealed record EndpointStatus
{
    /// <summary>True when at least one route with traffic has a model loaded.</summary>
    public bool Ready { get; init; }

    /// <summary>Each route's state, in spec order.</summary>
    public IReadOnlyList<EndpointRouteStatus> Routes { get; init => field = value ?? []; } = [];

    /// <summary>The shadow route's state; null without a shadow.</summary>
    public EndpointRouteStatus? Shadow { get; init; }

    /// <summary>Shadow traffic counts since the server loaded the endpoint; null without a shadow.</summary>
    public ShadowStatistics? ShadowStatistics { get; init; }
}

/// <summary>A route's live state.</summary>
public sealed record EndpointRouteStatus
{
    /// <summary>The route name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>The model reference.</summary>
    public string Model { get; init => field = value ?? ""; } = "";

    /// <summary>Its share of the traffic.</summary>
    public int Weight { get; init; }

    /// <summary>The version answering now; null before the first load.</summary>
    public string? ServingVersion { get; init; }

    /// <summary><c>loading</c>, <c>ready</c> or <c>failed</c> (a failure leaves <see cref="ServingVersion"/> serving).</summary>
    public string State { get; init => field = value ?? ""; } = "";

    /// <summary>The version being loaded, or the one that failed to load.</summary>
    public string? PendingVersion { get; init; }

    /// <summary>Why the route is <c>failed</c>.</summary>
    public string? Error { get; init; }

    /// <summary>Load and warm-up time of the serving version, in milliseconds.</summary>
    public double? LoadMs { get; init; }

    /// <summary>Estimated memory of the serving version, in bytes.</summary>
    public long? MemoryBytes { get; init; }
}

/// <summary>Shadow traffic of an endpoint.</summary>
/// <param name="Requests">Requests copied to the shadow.</param>
/// <param name="Completed">Shadow runs finished.</param>
/// <param name="Errors">Shadow runs that failed.</param>
/// <param name="Disagreements">Shadow answers that differed from the live answer.</param>
/// <param name="Dropped">Copies skipped because too many shadow runs were in flight.</param>
public sealed record ShadowStatistics(long Requests, long Completed, long Errors, long Disagreements, long Dropped);
