using Slipway.Monitoring.Performance;
using Slipway.Monitoring.Quality;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Reports;

/// <summary>
/// Everything one drift report shows, independent of how it is written (<see cref="ReportHtml"/>, <see cref="ReportJson"/>).
/// Each part is optional so that a file comparison, a monitor run and a performance check can share the writers.
/// </summary>
public sealed record ReportDocument
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, ColumnHistogram> NoHistograms = new Dictionary<string, ColumnHistogram>();

    public required string Title { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Free-form facts shown in the header, in insertion order: reference/current file, endpoint, model version, window.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = NoMetadata;

    /// <summary>Drift of every tested column, with the dataset verdict.</summary>
    public DriftResult? FeatureDrift { get; init; }

    /// <summary>Drift of the target and prediction columns alone.</summary>
    public DriftResult? PredictionDrift { get; init; }

    public DataQualityResult? Quality { get; init; }

    public PerformanceResult? Performance { get; init; }

    /// <summary>Reference-vs-current distributions keyed by column name.</summary>
    public IReadOnlyDictionary<string, ColumnHistogram> Histograms { get; init; } = NoHistograms;
}
