using Prometheus;

namespace Slipway.Serving;

/// <summary>Prometheus metrics of the serving data plane, per endpoint and route.</summary>
public static class ServingMetrics
{
    private static readonly string[] RouteLabels = ["endpoint", "route"];

    public static readonly Counter Requests = Metrics.CreateCounter(
        "slipway_inference_requests_total", "Inference requests answered, by endpoint, route and protocol.",
        new CounterConfiguration { LabelNames = ["endpoint", "route", "protocol"] });

    public static readonly Counter Errors = Metrics.CreateCounter(
        "slipway_inference_errors_total", "Inference requests that failed, by endpoint and error code.",
        new CounterConfiguration { LabelNames = ["endpoint", "code"] });

    public static readonly Histogram Latency = Metrics.CreateHistogram(
        "slipway_inference_duration_seconds", "Time from a routed request to its answer, model run and batching wait included.",
        new HistogramConfiguration { LabelNames = RouteLabels, Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });

    public static readonly Histogram BatchSize = Metrics.CreateHistogram(
        "slipway_inference_batch_size", "Rows per model run (with adaptive batching: per combined batch).",
        new HistogramConfiguration { LabelNames = RouteLabels, Buckets = Histogram.ExponentialBuckets(1, 2, 12) });

    public static readonly Gauge QueueDepth = Metrics.CreateGauge(
        "slipway_inference_queue_depth", "Requests waiting in a route's batching queue.",
        new GaugeConfiguration { LabelNames = RouteLabels });

    public static readonly Gauge ModelLoadSeconds = Metrics.CreateGauge(
        "slipway_model_load_seconds", "Load and warm-up time of each served model version.",
        new GaugeConfiguration { LabelNames = ["model", "version"] });

    public static readonly Gauge ModelMemoryBytes = Metrics.CreateGauge(
        "slipway_model_memory_bytes", "Estimated memory of each served model version.",
        new GaugeConfiguration { LabelNames = ["model", "version"] });

    public static readonly Counter ShadowRequests = Metrics.CreateCounter(
        "slipway_shadow_requests_total", "Requests copied to an endpoint's shadow route.",
        new CounterConfiguration { LabelNames = ["endpoint"] });

    public static readonly Counter ShadowDisagreements = Metrics.CreateCounter(
        "slipway_shadow_disagreements_total", "Shadow answers that differed from the primary answer (or failed).",
        new CounterConfiguration { LabelNames = ["endpoint"] });
}
