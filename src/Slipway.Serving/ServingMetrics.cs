using Prometheus;
using Slipway.Core.Errors;
using Slipway.Serving.Endpoints;

namespace Slipway.Serving;

/// <summary>Prometheus metrics of the serving data plane, per endpoint and route.</summary>
public static class ServingMetrics
{
    private static readonly string[] RouteLabels = ["endpoint", "route"];

    /// <summary>
    /// The route label of requests that reached no route (the endpoint was not ready). Route names start with a letter
    /// or digit, so it cannot collide with one, and it is one extra series per endpoint and protocol at most.
    /// </summary>
    public const string UnroutedRoute = "_unrouted";

    public static readonly Counter Requests = Metrics.CreateCounter(
        "slipway_inference_requests_total", "Inference requests answered, by endpoint, route (_unrouted when no route was ready) and protocol.",
        new CounterConfiguration { LabelNames = ["endpoint", "route", "protocol"] });

    public static readonly Counter Errors = Metrics.CreateCounter(
        "slipway_inference_errors_total", "Inference requests that failed, by endpoint and error code.",
        new CounterConfiguration { LabelNames = ["endpoint", "code"] });

    /// <summary>Upper bounds, in seconds, of the latency histogram and of each route's stats API buckets: 0.1 ms doubling to 3.28 s.</summary>
    public static readonly IReadOnlyList<double> LatencyBuckets = Array.AsReadOnly(Histogram.ExponentialBuckets(0.0001, 2, 16));

    public static readonly Histogram Latency = Metrics.CreateHistogram(
        "slipway_inference_duration_seconds", "Time from a routed request to its answer, model run and batching wait included.",
        new HistogramConfiguration { LabelNames = RouteLabels, Buckets = [.. LatencyBuckets] });

    public static readonly Histogram BatchSize = Metrics.CreateHistogram(
        "slipway_inference_batch_size", "Rows per model run (with adaptive batching: per combined batch).",
        new HistogramConfiguration { LabelNames = RouteLabels, Buckets = Histogram.ExponentialBuckets(1, 2, 12) });

    public static readonly Gauge QueueDepth = Metrics.CreateGauge(
        "slipway_inference_queue_depth", "Requests waiting in a route's batching queue.",
        new GaugeConfiguration { LabelNames = RouteLabels });

    public static readonly Gauge ModelLoadSeconds = Metrics.CreateGauge(
        "slipway_model_load_seconds", "Load and warm-up time of each served model version.",
        new GaugeConfiguration { LabelNames = ["model", "version"] });

    public static readonly Counter ModelLoads = Metrics.CreateCounter(
        "slipway_model_loads_total", "Model loads (download, load and warm-up) by model and result (loaded, failed).",
        new CounterConfiguration { LabelNames = ["model", "result"] });

    public static readonly Gauge ModelMemoryBytes = Metrics.CreateGauge(
        "slipway_model_memory_bytes", "Estimated memory of each served model version.",
        new GaugeConfiguration { LabelNames = ["model", "version"] });

    public static readonly Counter ShadowRequests = Metrics.CreateCounter(
        "slipway_shadow_requests_total", "Requests copied to an endpoint's shadow route.",
        new CounterConfiguration { LabelNames = ["endpoint"] });

    public static readonly Counter ShadowDisagreements = Metrics.CreateCounter(
        "slipway_shadow_disagreements_total", "Shadow answers that differed from the primary answer (or failed).",
        new CounterConfiguration { LabelNames = ["endpoint"] });

    /// <summary>Inference log records dropped, by endpoint and reason (queue_full, stopped, write_failed, invalid).</summary>
    public static readonly Counter InferenceLogDropped = Metrics.CreateCounter(
        "slipway_inference_log_dropped_total", "Inference log records dropped: queue full, logging stopped, or a segment that could not be written.",
        new CounterConfiguration { LabelNames = ["endpoint", "reason"] });
}

/// <summary>
/// One route's labelled series, made once per route rather than per request (a <c>WithLabels</c> call looks the
/// series up and allocates its label array), so that a request only increments and observes.
/// </summary>
internal sealed class RouteMetrics(string endpoint, string route)
{
    // Adapters pass one of a few constant protocol names; copied on write, read without a lock.
    private (string Protocol, Counter.Child Requests)[] _requests = [];

    public Histogram.Child Latency { get; } = ServingMetrics.Latency.WithLabels(endpoint, route);

    public Histogram.Child BatchSize { get; } = ServingMetrics.BatchSize.WithLabels(endpoint, route);

    /// <summary>The same traffic as cumulative in-process counters that the stats API can read back.</summary>
    public RouteTraffic Traffic { get; } = new();

    public Counter.Child Requests(string protocol)
    {
        foreach (var (known, requests) in Volatile.Read(ref _requests))
        {
            if (ReferenceEquals(known, protocol) || known == protocol)
                return requests;
        }
        var child = ServingMetrics.Requests.WithLabels(endpoint, route, protocol);
        var current = Volatile.Read(ref _requests);
        // Losing a race only means the next request looks the series up again.
        Interlocked.CompareExchange(ref _requests, [.. current, (protocol, child)], current);
        return child;
    }
}

/// <summary>An endpoint's error counters by code, each labelled on first use.</summary>
internal sealed class EndpointErrorMetrics(string endpoint)
{
    private readonly Counter.Child?[] _byCode = new Counter.Child?[Enum.GetValues<ErrorCode>().Length];
    private Counter.Child? _cancelled;

    public void Count(Exception exception, CancellationToken ct)
    {
        if (exception is OperationCanceledException && ct.IsCancellationRequested)
        {
            (_cancelled ??= ServingMetrics.Errors.WithLabels(endpoint, "CANCELLED")).Inc();
            return;
        }
        var code = exception is SlipwayException slipway && (uint)slipway.Code < (uint)_byCode.Length ? slipway.Code : ErrorCode.InternalError;
        (_byCode[(int)code] ??= ServingMetrics.Errors.WithLabels(endpoint, code.WireName())).Inc();
    }
}
