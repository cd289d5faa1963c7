using Slipway.Monitoring.Alerts;
using Slipway.Monitoring.Performance;
using Slipway.Monitoring.Quality;

namespace Slipway.Monitoring.Monitors;

/// <summary>
/// Where a monitor's reference data comes from:
/// <list type="bullet">
/// <item><c>dataset</c>: a CSV or Parquet file by artifact URI (<c>runs:/&lt;run&gt;/path</c>, <c>models:/…</c> is not a file) or artifact path;</item>
/// <item><c>model</c>: the dataset logged (as a <c>reference</c> or <c>training</c> input) with the source run of the model version the endpoint serves;</item>
/// <item><c>window</c>: a fixed window of the endpoint's own traffic, <see cref="From"/> to <see cref="To"/>.</item>
/// </list>
/// </summary>
public sealed record ReferenceSpec
{
    public required string Kind { get; init; }

    public string? Uri { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }
}

/// <summary>
/// A monitored column: <see cref="Column"/> names it in the inference log (e.g. <c>in_input_3</c>,
/// <c>out_label</c>), <see cref="ReferenceColumn"/> in the reference data (default: <see cref="Name"/>).
/// Type, method and threshold override inference and Evidently's defaults.
/// </summary>
public sealed record FeatureSpec
{
    public required string Name { get; init; }

    public required string Column { get; init; }

    public string? ReferenceColumn { get; init; }

    /// <summary><c>num</c> or <c>cat</c>; null infers it as Evidently does.</summary>
    public string? Type { get; init; }

    public string? Method { get; init; }

    public double? Threshold { get; init; }
}

/// <summary>A monitor on one serving endpoint, as created through REST or <c>slipway monitors create</c>.</summary>
public sealed record MonitorSpec
{
    public required string Name { get; init; }

    public required string Endpoint { get; init; }

    public required ReferenceSpec Reference { get; init; }

    /// <summary>The current window: the traffic of this long before each run (e.g. 1 day).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Input features; empty means every flat input column of the log that the reference also has.</summary>
    public IReadOnlyList<FeatureSpec> Features { get; init; } = [];

    /// <summary>Prediction columns to test for drift (prediction drift), e.g. <c>out_label</c>.</summary>
    public IReadOnlyList<FeatureSpec> Predictions { get; init; } = [];

    /// <summary>A cron expression (5 fields, UTC) for scheduled runs; null runs only on demand.</summary>
    public string? Schedule { get; init; }

    public double DriftShare { get; init; } = 0.5;

    public string? Method { get; init; }

    public double? Threshold { get; init; }

    public DataQualityOptions? Quality { get; init; } = new();

    public PerformanceSpec? Performance { get; init; }

    /// <summary>Rows read from the current window at most; a larger window is sampled uniformly (bounded memory).</summary>
    public int MaxRows { get; init; } = 1_000_000;

    public IReadOnlyList<AlertRuleSpec> Alerts { get; init; } = [];

    public IReadOnlyList<AlertChannelSpec> Channels { get; init; } = [];
}
