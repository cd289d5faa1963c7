using System.Text.Json.Serialization;

namespace Slipway.Client;

/// <summary>
/// A condition over a monitor run's result that raises an alert. <see cref="Kind"/> is one of <c>drift_share</c>
/// (the share of drifted features reaches <see cref="Threshold"/>, default the monitor's drift share),
/// <c>feature_drift</c> (drift on <see cref="Feature"/>, or on any feature), <c>prediction_drift</c>,
/// <c>performance</c> (<see cref="Metric"/> crosses <see cref="Threshold"/>) or <c>data_quality</c>.
/// </summary>
public sealed record MonitorAlertRule
{
    /// <summary>The rule name, unique in the monitor.</summary>
    public required string Name { get; init; }

    /// <summary>What the rule checks: <c>drift_share</c>, <c>feature_drift</c>, <c>prediction_drift</c>, <c>performance</c> or <c>data_quality</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The limit of <c>drift_share</c> and <c>performance</c> rules.</summary>
    public double? Threshold { get; init; }

    /// <summary>The one feature a <c>feature_drift</c> rule watches; null for any.</summary>
    public string? Feature { get; init; }

    /// <summary>The metric of a <c>performance</c> rule: accuracy, precision, recall, f1, roc_auc, log_loss, mae, rmse or r2.</summary>
    public string? Metric { get; init; }

    /// <summary>The severity label sent with the alert; null for <c>warning</c>.</summary>
    public string? Severity { get; init; }

    /// <summary>The channels to notify by name; null for every channel of the monitor.</summary>
    public IReadOnlyList<string>? Channels { get; init; }

    /// <summary>Actions the server triggers when the alert starts firing (e.g. a retraining pipeline), by name.</summary>
    public IReadOnlyList<string>? Actions { get; init; }
}

/// <summary>Where alerts go.</summary>
/// <param name="Name">The channel name, unique in the monitor.</param>
/// <param name="Type"><c>webhook</c> (Slipway's JSON), <c>slack</c> (an incoming-webhook URL) or <c>alertmanager</c> (a Prometheus Alertmanager's base URL).</param>
/// <param name="Url">An absolute http(s) URL.</param>
/// <param name="Headers">Headers added to every request, e.g. <c>Authorization</c>; null for none.</param>
public sealed record MonitorAlertChannel(string Name, string Type, string Url, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>Whether an alert episode is still firing.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MonitorAlertStatus>))]
public enum MonitorAlertStatus
{
    /// <summary>The rule is breached (<c>firing</c>).</summary>
    [JsonStringEnumMemberName("firing")]
    Firing,

    /// <summary>A later run no longer breached it (<c>resolved</c>).</summary>
    [JsonStringEnumMemberName("resolved")]
    Resolved,
}

/// <summary>
/// One alert episode: from the run that first breached a rule until the run that no longer did. Its labels identify
/// the alert and never change during the episode; the latest scores are in its annotations.
/// </summary>
public sealed record MonitorAlert
{
    /// <summary>The episode id.</summary>
    public string Id { get; init => field = value ?? ""; } = "";

    /// <summary>The monitor that raised it.</summary>
    public string Monitor { get; init => field = value ?? ""; } = "";

    /// <summary>The rule that was breached.</summary>
    public string Rule { get; init => field = value ?? ""; } = "";

    /// <summary>A hash of the labels, shared by every episode of the same alert.</summary>
    public string Fingerprint { get; init => field = value ?? ""; } = "";

    /// <summary>Firing or resolved.</summary>
    public MonitorAlertStatus Status { get; init; }

    /// <summary>When it started firing, milliseconds since the Unix epoch.</summary>
    public long StartsAt { get; init; }

    /// <summary>When it resolved; null while firing.</summary>
    public long? EndsAt { get; init; }

    /// <summary>When it was last sent to its channels; null if never.</summary>
    public long? LastSentAt { get; init; }

    /// <summary>The last change, milliseconds since the Unix epoch.</summary>
    public long UpdatedAt { get; init; }

    /// <summary>The identity of the alert (monitor, rule, endpoint, severity, feature…).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();

    /// <summary>The latest details (scores, thresholds, the run's link).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();
}
