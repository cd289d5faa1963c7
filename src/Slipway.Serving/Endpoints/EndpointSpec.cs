namespace Slipway.Serving.Endpoints;

/// <summary>
/// A named serving unit. <see cref="Routes"/> share live traffic by weight (canary, A/B); the optional
/// <see cref="Shadow"/> receives a copy of each request whose answer is logged and never returned; with
/// <see cref="StickyHeader"/> set, requests carrying the same value of that header always take the same route.
/// </summary>
public sealed record EndpointSpec(
    string Name,
    string? Description,
    IReadOnlyList<RouteSpec> Routes,
    RouteSpec? Shadow,
    string? StickyHeader,
    BatchingSpec? Batching,
    double LogSampleRate);

/// <summary>One route: a model reference (<c>models:/name@alias</c>, <c>models:/name/3</c>, or a server-local path) and its weight.</summary>
public sealed record RouteSpec(string Name, string Model, int Weight);

/// <summary>Adaptive batching: up to <see cref="MaxBatchSize"/> rows, waiting at most <see cref="MaxQueueDelay"/>; beyond <see cref="MaxQueueSize"/> queued requests the endpoint answers 429.</summary>
public sealed record BatchingSpec(int MaxBatchSize, TimeSpan MaxQueueDelay, int MaxQueueSize);

/// <summary>A stored endpoint: its spec, a revision that increases with every change, and when it was created and last changed.</summary>
public sealed record EndpointRecord(EndpointSpec Spec, long Revision, long CreationTimestamp, long LastUpdatedTimestamp);

/// <summary>What the serving process reports about an endpoint.</summary>
public sealed record EndpointStatus(string Name, bool Ready, IReadOnlyList<RouteStatus> Routes, RouteStatus? Shadow);

/// <summary>
/// A route's live state: the version it serves now (<see cref="ServingVersion"/>), and while a new version is
/// being loaded or has failed to load, that version and its error. A failure leaves the old version serving.
/// </summary>
public sealed record RouteStatus(
    string Name,
    string Model,
    int Weight,
    string? ServingVersion,
    string State,
    string? PendingVersion,
    string? Error,
    double? LoadMilliseconds,
    long? MemoryBytes);

public static class RouteStates
{
    public const string Loading = "loading";
    public const string Ready = "ready";
    public const string Failed = "failed";
}
