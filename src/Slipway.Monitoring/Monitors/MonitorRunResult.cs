using Slipway.Monitoring.Performance;
using Slipway.Monitoring.Quality;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Monitors;

/// <summary>
/// Everything one monitor run found: the window it read, feature drift, prediction drift, data quality and, when
/// labels have arrived, performance. Alert rules and the Prometheus gauges read it; reports render it.
/// </summary>
public sealed record MonitorRunResult(
    string Monitor,
    string Endpoint,
    string? ModelVersion,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long RowsSeen,
    int RowsUsed,
    int ReferenceRows,
    DriftResult? FeatureDrift,
    DriftResult? PredictionDrift,
    DataQualityResult? Quality,
    PerformanceResult? Performance,
    IReadOnlyList<string> Warnings);
