using Prometheus;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Monitors;

/// <summary>
/// Monitor results on <c>/metrics</c>, as gauges labelled by monitor, endpoint and model version (plus feature and
/// method for per-feature series, metric for performance). Each run replaces the monitor's previous series, so a
/// feature that is dropped or a model version that is rolled out does not leave stale values behind.
/// </summary>
public sealed class MonitoringMetrics
{
    private static readonly string[] RunLabels = ["monitor", "endpoint", "model_version"];
    private static readonly string[] FeatureLabels = ["monitor", "endpoint", "model_version", "feature", "method", "kind"];

    public static readonly Gauge DriftScore = Metrics.CreateGauge(
        "slipway_monitor_drift_score", "Latest drift score per feature (p-value or distance; see the method label). kind is feature or prediction.",
        new GaugeConfiguration { LabelNames = FeatureLabels });

    public static readonly Gauge DriftDetected = Metrics.CreateGauge(
        "slipway_monitor_drift_detected", "1 when the latest run found drift on the feature, else 0.",
        new GaugeConfiguration { LabelNames = FeatureLabels });

    public static readonly Gauge DriftThreshold = Metrics.CreateGauge(
        "slipway_monitor_drift_threshold", "The threshold the feature's drift score was compared with.",
        new GaugeConfiguration { LabelNames = FeatureLabels });

    public static readonly Gauge DriftShare = Metrics.CreateGauge(
        "slipway_monitor_drift_share", "Share of drifted features in the latest run.",
        new GaugeConfiguration { LabelNames = RunLabels });

    public static readonly Gauge DatasetDrift = Metrics.CreateGauge(
        "slipway_monitor_dataset_drift", "1 when the share of drifted features reached the monitor's drift share.",
        new GaugeConfiguration { LabelNames = RunLabels });

    public static readonly Gauge Performance = Metrics.CreateGauge(
        "slipway_monitor_performance", "Model performance over the labelled rows of the latest window, by metric.",
        new GaugeConfiguration { LabelNames = ["monitor", "endpoint", "model_version", "metric"] });

    public static readonly Gauge RowsSeen = Metrics.CreateGauge(
        "slipway_monitor_rows", "Inference-log rows in the latest run's window.",
        new GaugeConfiguration { LabelNames = RunLabels });

    public static readonly Gauge QualityFailures = Metrics.CreateGauge(
        "slipway_monitor_quality_failures", "Failed data-quality checks in the latest run.",
        new GaugeConfiguration { LabelNames = RunLabels });

    public static readonly Gauge LastRun = Metrics.CreateGauge(
        "slipway_monitor_last_run_timestamp_seconds", "When the monitor last finished a run (unix seconds).",
        new GaugeConfiguration { LabelNames = ["monitor"] });

    public static readonly Counter Runs = Metrics.CreateCounter(
        "slipway_monitor_runs_total", "Monitor runs by outcome.",
        new CounterConfiguration { LabelNames = ["monitor", "status"] });

    public static readonly Histogram RunDuration = Metrics.CreateHistogram(
        "slipway_monitor_run_duration_seconds", "Wall time of one monitor run (window read, statistics, reports, alerting), failed runs included.",
        new HistogramConfiguration { LabelNames = ["monitor"], Buckets = Histogram.ExponentialBuckets(0.05, 2, 14) });

    /// <summary>Observes the run's wall time into <see cref="RunDuration"/> when disposed.</summary>
    public static IDisposable TimeRun(string monitor) => RunDuration.WithLabels(monitor).NewTimer();

    private readonly Dictionary<string, List<(Gauge Gauge, string[] Labels)>> _series = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Record(MonitorSpec spec, MonitorRunResult result)
    {
        var version = result.ModelVersion ?? "";
        string[] run = [spec.Name, spec.Endpoint, version];
        var series = new List<(Gauge, string[])>();
        lock (_lock)
        {
            Forget(spec.Name);
            Set(series, RowsSeen, run, result.RowsSeen);
            if (result.FeatureDrift is { } drift)
            {
                Set(series, DriftShare, run, drift.Dataset.ShareOfDriftedColumns);
                Set(series, DatasetDrift, run, drift.Dataset.DatasetDrift ? 1 : 0);
                SetColumns(series, spec, version, drift, "feature");
            }
            if (result.PredictionDrift is { } predictions)
                SetColumns(series, spec, version, predictions, "prediction");
            if (result.Quality is { } quality)
                Set(series, QualityFailures, run, quality.FailedChecks);
            if (result.Performance is { } performance)
            {
                foreach (var (metric, value) in performance.Metrics)
                    Set(series, Performance, [spec.Name, spec.Endpoint, version, metric], value);
            }
            _series[spec.Name] = series;
        }
        LastRun.WithLabels(spec.Name).Set(result.WindowEnd.ToUnixTimeMilliseconds() / 1000.0);
        Runs.WithLabels(spec.Name, "succeeded").Inc();
    }

    public void RecordFailure(MonitorSpec spec) => Runs.WithLabels(spec.Name, "failed").Inc();

    /// <summary>Removes a deleted monitor's series.</summary>
    public void Remove(string monitor)
    {
        lock (_lock)
            Forget(monitor);
        LastRun.RemoveLabelled(monitor);
        RunDuration.RemoveLabelled(monitor);
    }

    private static void SetColumns(List<(Gauge, string[])> series, MonitorSpec spec, string version, DriftResult drift, string kind)
    {
        foreach (var column in drift.Columns)
        {
            if (!column.Checked || column.Drift is not { } method)
                continue;
            string[] labels = [spec.Name, spec.Endpoint, version, column.Column, method.Method, kind];
            Set(series, DriftScore, labels, method.Score);
            Set(series, DriftDetected, labels, method.DriftDetected ? 1 : 0);
            Set(series, DriftThreshold, labels, method.Threshold);
        }
    }

    private static void Set(List<(Gauge, string[])> series, Gauge gauge, string[] labels, double value)
    {
        gauge.WithLabels(labels).Set(value);
        series.Add((gauge, labels));
    }

    private void Forget(string monitor)
    {
        if (!_series.Remove(monitor, out var previous))
            return;
        foreach (var (gauge, labels) in previous)
            gauge.RemoveLabelled(labels);
    }
}
