using System.Collections.Concurrent;
using System.Diagnostics;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;
using Slipway.Serving.Logging;

namespace Slipway.Serving.Endpoints;

/// <summary>Shadow traffic of one endpoint since it was loaded in this process.</summary>
/// <param name="Requests">Requests copied to the shadow.</param>
/// <param name="Completed">Shadow runs that have finished, compared or failed.</param>
/// <param name="Errors">Shadow runs that failed (never seen by callers).</param>
/// <param name="Disagreements">Shadow answers that differed from the primary's.</param>
/// <param name="Dropped">Copies not made because too many shadow runs were already in flight.</param>
public sealed record ShadowStatistics(long Requests, long Completed, long Errors, long Disagreements, long Dropped);

/// <summary>
/// One live endpoint: picks a route per request by weight (or sticky header), runs its model (through the route's
/// adaptive batcher when the endpoint batches), and copies the request to the shadow route without waiting for it.
/// Every request is counted in the route's metrics, and a sampled one is handed to the inference log, which never
/// blocks. Which model each route runs is the <see cref="RoutingTable"/> that <see cref="EndpointManager"/> publishes;
/// a request reads it once, so a swap never affects a request in flight.
/// </summary>
public sealed partial class ServedEndpoint : IInferenceTarget
{
    /// <summary>Most tensor elements one request may carry (16 Mi).</summary>
    public const long MaxRequestElements = ShapeMath.MaxElements;

    // A model is only unusable between its retirement and the next table; a request that meets one re-reads the table.
    private const int MaxAttempts = 3;

    private readonly ConcurrentDictionary<string, RouteMetrics> _routeMetrics = new(StringComparer.Ordinal);
    private readonly EndpointErrorMetrics _errors;
    private RoutingTable _table = RoutingTable.Empty;

    internal ServedEndpoint(string name)
    {
        Name = name;
        _errors = new EndpointErrorMetrics(name);
        _shadowRequestsMetric = ServingMetrics.ShadowRequests.WithLabels(name);
        _shadowDisagreementsMetric = ServingMetrics.ShadowDisagreements.WithLabels(name);
    }

    public string Name { get; }

    public bool IsReady => Table.TotalWeight > 0;

    public ModelSignature? Signature => Table.Primary?.Model.Model.Signature;

    public string Platform => Table.Primary?.Model.Model.Platform ?? "";

    public IReadOnlyList<string> Versions => Table.Versions;

    /// <summary>Where sampled requests are logged; null (unit tests, or a process without a log) logs nothing.</summary>
    internal IInferenceLog? InferenceLog { get; set; }

    internal TimeProvider Clock { get; set; } = TimeProvider.System;

    internal RoutingTable Table => Volatile.Read(ref _table);

    /// <summary>Makes <paramref name="table"/> the one requests read, with each route's metric series attached first.</summary>
    internal void Publish(RoutingTable table)
    {
        foreach (var route in table.Routes)
            route.Metrics ??= MetricsOf(route.Name);
        Volatile.Write(ref _table, table);
    }

    public async ValueTask<InferenceResult> InferAsync(InferenceRequest request, InferenceContext context, CancellationToken ct)
    {
        // The context's headers are the server's live request headers, recycled once the request is answered: the sticky
        // key is read here, before the first await, and nothing after (shadow, log) touches the context again.
        var table = Table;
        var stickyKey = table.StickyKey(context);
        var requestId = context.RequestId;
        var protocol = context.Protocol;
        LiveRoute route;
        for (var attempt = 1; ; attempt++)
        {
            if (table.TotalWeight == 0)
                throw Unrouted(NotReady(table.NotReadyReason), protocol, ct);
            route = table.Pick(stickyKey);
            if (route.TryEnter())
                break;
            if (attempt == MaxAttempts)
                throw Unrouted(NotReady("its models are being replaced"), protocol, ct);
            var next = Table;
            if (next.StickyHeader != table.StickyHeader)
                stickyKey = next.StickyKey(context);
            table = next;
        }

        var metrics = route.Metrics ?? MetricsOf(route.Name);
        metrics.Requests(protocol).Inc();
        metrics.Traffic.CountRequest();
        var log = Sampled(table);
        var timestamp = log is null ? 0 : Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<Tensor> outputs;
        try
        {
            using var span = Slipway.Core.Diagnostics.SlipwayActivity.StartInference(Name, route.Name, route.Model.DisplayName);
            SignatureValidator.Validate(route.Model.Model.Signature, request.Inputs, request.RequestedOutputs, MaxRequestElements);
            if (route.Batcher is null)
                metrics.BatchSize.Observe(Rows(request.Inputs));
            outputs = await route.RunAsync(request.Inputs, request.RequestedOutputs, ct);
        }
        catch (Exception e)
        {
            _errors.Count(e, ct);
            metrics.Traffic.CountError(e, ct);
            throw;
        }
        finally
        {
            route.Exit();
        }
        var latency = Stopwatch.GetElapsedTime(started);
        metrics.Latency.Observe(latency.TotalSeconds);
        metrics.Traffic.Observe(latency);
        var modelVersion = route.Model.DisplayName;
        log?.TryWrite(new InferenceLogRecord(
            requestId, Name, route.Name, modelVersion, timestamp, latency.TotalMilliseconds, request.Inputs, outputs, Shadow: false));
        if (table.Shadow is { } shadow)
            StartShadow(shadow, request, outputs, requestId, log);
        return new InferenceResult(modelVersion, route.Name, outputs);
    }

    /// <summary>
    /// The route's traffic since its series were created in this process (the first request or table that named it),
    /// or null when nothing has named the route yet. Errors raised before a route is picked (not ready) count on no route.
    /// </summary>
    public RouteTrafficSnapshot? RouteTraffic(string route) =>
        _routeMetrics.TryGetValue(route, out var metrics) ? metrics.Traffic.Snapshot() : null;

    /// <summary>The log when this request is sampled (one draw per request, shared with its shadow), else null.</summary>
    private IInferenceLog? Sampled(RoutingTable table) =>
        InferenceLog is { } log && table.LogSampleRate > 0 && Random.Shared.NextDouble() < table.LogSampleRate ? log : null;

    private RouteMetrics MetricsOf(string route) => _routeMetrics.GetOrAdd(route, static (name, endpoint) => new RouteMetrics(endpoint, name), Name);

    private static int Rows(IReadOnlyList<Tensor> inputs) =>
        inputs.Count == 0 || inputs[0].Shape.Length == 0 ? 1 : (int)Math.Clamp(inputs[0].Shape[0], 0, int.MaxValue);

    // A request no route took still counts as a request: otherwise an endpoint that never became ready has errors but
    // no request series, and an error ratio over it (SlipwayEndpointErrorRatio) has nothing to divide by.
    private SlipwayException Unrouted(SlipwayException error, string protocol, CancellationToken ct)
    {
        ServingMetrics.Requests.WithLabels(Name, ServingMetrics.UnroutedRoute, protocol).Inc();
        _errors.Count(error, ct);
        return error;
    }

    private SlipwayException NotReady(string reason) =>
        new(ErrorCode.TemporarilyUnavailable, $"Endpoint {Name} is not ready: {reason}.");
}
