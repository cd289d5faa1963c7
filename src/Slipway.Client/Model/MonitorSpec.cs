using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Client.Protocol;

namespace Slipway.Client;

/// <summary>
/// A monitor on one serving endpoint: what to compare its traffic with, which columns to test, how often, and where
/// alerts go. Optional settings left null take the server's defaults (a 1-day window, drift share 0.5, 1,000,000 rows).
/// The JSON form is the REST body: snake_case, durations such as <c>"1d"</c>, times in RFC 3339.
/// </summary>
public sealed record MonitorSpec
{
    /// <summary>The monitor name: 1 to 63 letters, digits, <c>_</c>, <c>.</c> or <c>-</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The serving endpoint whose inference log is monitored.</summary>
    public required string Endpoint { get; init; }

    /// <summary>What the traffic is compared with.</summary>
    public required MonitorReference Reference { get; init; }

    /// <summary>Each run looks at the traffic of this long before its end; null for the server default (1 day).</summary>
    [JsonConverter(typeof(MonitorDurationJsonConverter))]
    public TimeSpan? Window { get; init; }

    /// <summary>The input features to test; empty tests every flat input column that the reference also has.</summary>
    public IReadOnlyList<MonitorFeature> Features { get; init => field = value ?? []; } = [];

    /// <summary>Prediction columns to test for drift, e.g. <c>out_label</c>.</summary>
    public IReadOnlyList<MonitorFeature> Predictions { get; init => field = value ?? []; } = [];

    /// <summary>A 5-field cron expression (UTC) for scheduled runs; null runs only on demand.</summary>
    public string? Schedule { get; init; }

    /// <summary>The dataset drifts when at least this share of the tested columns drifted, (0, 1]; null for 0.5.</summary>
    public double? DriftShare { get; init; }

    /// <summary>One drift method for every column (e.g. <c>psi</c>, <c>ks</c>, <c>wasserstein</c>); null for Evidently's choice per column.</summary>
    public string? Method { get; init; }

    /// <summary>One threshold for every column; null for each method's default.</summary>
    public double? Threshold { get; init; }

    /// <summary>Rows of the current window read at most (a larger window is sampled); null for the server default.</summary>
    public int? MaxRows { get; init; }

    /// <summary>Data-quality limits; null for the server defaults.</summary>
    public MonitorQuality? Quality { get; init; }

    /// <summary>Model performance from feedback labels; null to skip it.</summary>
    public MonitorPerformance? Performance { get; init; }

    /// <summary>The conditions that raise alerts.</summary>
    public IReadOnlyList<MonitorAlertRule> Alerts { get; init => field = value ?? []; } = [];

    /// <summary>Where alerts are sent.</summary>
    public IReadOnlyList<MonitorAlertChannel> Channels { get; init => field = value ?? []; } = [];

    /// <summary>
    /// Fields this version of the client does not know, kept as they came so that a spec read from a newer server
    /// (or a file) is sent back unchanged. Null when there are none.
    /// </summary>
    // A plain setter: System.Text.Json fills extension data neither through init-only setters nor into a read-only dictionary.
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalFields { get; set; }

    /// <summary>Reads a spec from its REST JSON form.</summary>
    /// <exception cref="JsonException">The text is not a JSON object of that form.</exception>
    public static MonitorSpec FromJson(string json) =>
        JsonSerializer.Deserialize(json, SlipwayJsonContext.Default.MonitorSpec) ?? throw new JsonException("A monitor spec must be a JSON object, not null.");

    /// <summary>The REST JSON form of this spec.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SlipwayJsonContext.Default.MonitorSpec);
}

/// <summary>Where a monitor's reference data comes from; create one with <see cref="Dataset"/>, <see cref="Model"/> or <see cref="Traffic"/>.</summary>
/// <param name="Kind"><c>dataset</c>, <c>model</c> or <c>window</c>.</param>
/// <param name="Uri">The CSV or Parquet file of a <c>dataset</c> reference: <c>runs:/&lt;run_id&gt;/path</c>, <c>mlflow-artifacts:/…</c> or an artifact path.</param>
/// <param name="From">The start of a <c>window</c> reference.</param>
/// <param name="To">The end of a <c>window</c> reference.</param>
public sealed record MonitorReference(string Kind, string? Uri = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    /// <summary>A CSV or Parquet file in the server's artifact store, e.g. <c>runs:/&lt;run_id&gt;/reference.csv</c>.</summary>
    public static MonitorReference Dataset(string uri) => new("dataset", uri);

    /// <summary>The dataset logged (context <c>reference</c> or <c>training</c>) with the source run of the model version the endpoint serves.</summary>
    public static MonitorReference Model() => new("model");

    /// <summary>A fixed window of the endpoint's own traffic, e.g. its first week in production.</summary>
    public static MonitorReference Traffic(DateTimeOffset from, DateTimeOffset to) => new("window", null, from, to);
}

/// <summary>A monitored column.</summary>
/// <param name="Name">The name in reports and alerts, and the column in the reference data unless <paramref name="ReferenceColumn"/> says otherwise.</param>
/// <param name="Column">The flat inference-log column, e.g. <c>in_input_3</c> or <c>out_label</c>.</param>
/// <param name="ReferenceColumn">The column in the reference data; null for <paramref name="Name"/>.</param>
/// <param name="Type"><c>num</c> or <c>cat</c>; null to infer it.</param>
/// <param name="Method">The drift method for this column; null for the monitor's.</param>
/// <param name="Threshold">The drift threshold for this column; null for the monitor's.</param>
public sealed record MonitorFeature(string Name, string Column, string? ReferenceColumn = null, string? Type = null, string? Method = null, double? Threshold = null);

/// <summary>Data-quality limits: a check fails when a share exceeds its limit (0 to 1).</summary>
/// <param name="MaxMissingShareIncrease">How much more missing values a column may have than in the reference.</param>
/// <param name="MaxOutOfRangeShare">The share of numeric values outside the reference's range.</param>
/// <param name="MaxUnseenCategoryShare">The share of categories the reference never had.</param>
public sealed record MonitorQuality(double? MaxMissingShareIncrease = null, double? MaxOutOfRangeShare = null, double? MaxUnseenCategoryShare = null);

/// <summary>Model performance measured on requests that received feedback labels.</summary>
/// <param name="Task"><c>classification</c> or <c>regression</c>.</param>
/// <param name="PredictionColumn">The flat inference-log column of the prediction, e.g. <c>out_label</c>.</param>
/// <param name="ProbabilityColumn">The column of the positive class's probability (for ROC AUC and log loss); null for none.</param>
/// <param name="PositiveLabel">The positive class of a binary classifier; null to infer it.</param>
public sealed record MonitorPerformance(string Task, string PredictionColumn, string? ProbabilityColumn = null, string? PositiveLabel = null);
