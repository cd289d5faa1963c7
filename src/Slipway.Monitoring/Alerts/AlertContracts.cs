namespace Slipway.Monitoring.Alerts;

/// <summary>
/// A condition over a monitor run's result that raises an alert:
/// <list type="bullet">
/// <item><c>drift_share</c>: the share of drifted features ≥ <see cref="Threshold"/> (default: the monitor's drift share);</item>
/// <item><c>feature_drift</c>: drift on <see cref="Feature"/>, or on any feature when null (one alert per drifted feature);</item>
/// <item><c>prediction_drift</c>: drift on any prediction column;</item>
/// <item><c>performance</c>: <see cref="Metric"/> below <see cref="Threshold"/> (above it for mae, rmse, log_loss);</item>
/// <item><c>data_quality</c>: at least one failed data-quality check.</item>
/// </list>
/// </summary>
public sealed record AlertRuleSpec
{
    public required string Name { get; init; }

    public required string Kind { get; init; }

    public double? Threshold { get; init; }

    public string? Feature { get; init; }

    public string? Metric { get; init; }

    public string Severity { get; init; } = "warning";

    /// <summary>Channel names to notify; null notifies every channel of the monitor.</summary>
    public IReadOnlyList<string>? Channels { get; init; }

    /// <summary>Actions to trigger when the alert starts firing, by name (see <see cref="IAlertActionSink"/>).</summary>
    public IReadOnlyList<string>? Actions { get; init; }
}

/// <summary>
/// Where alerts go: <c>webhook</c> (Slipway's JSON), <c>slack</c> (an incoming-webhook URL) or
/// <c>alertmanager</c> (the base URL of a Prometheus Alertmanager; alerts are posted to <c>/api/v2/alerts</c>).
/// Alertmanager replicas must each get every alert (not a load balancer), so a highly available Alertmanager is one
/// channel per replica. <see cref="Headers"/> are added to every request (e.g. an <c>Authorization</c> header).
/// </summary>
public sealed record AlertChannelSpec
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    public required string Url { get; init; }

    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}

public enum AlertStatus
{
    Firing,
    Resolved,
}

/// <summary>
/// One alert episode: from the run that first breached a rule until the run that no longer does. Its labels are
/// its identity and never change during the episode (scores go into annotations), as Alertmanager requires;
/// <see cref="Fingerprint"/> is a hash of them, shared by every episode of the same alert, while <see cref="Id"/>
/// names this episode only.
/// </summary>
public sealed record AlertState(
    string Id,
    string Monitor,
    string Rule,
    string Fingerprint,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    AlertStatus Status,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    DateTimeOffset? LastSentAt,
    DateTimeOffset UpdatedAt);

/// <summary>What one monitor run did to an episode.</summary>
public enum AlertChange
{
    /// <summary>A breach with no firing episode: a new episode, firing since the run.</summary>
    Started,

    /// <summary>A breach of an already firing episode: same labels, fresh annotations (Alertmanager deduplicates it).</summary>
    Updated,

    /// <summary>The rule was evaluated and no longer breaches (or was removed from the monitor).</summary>
    Resolved,
}

/// <summary>An episode as it is after a run, and how the run changed it.</summary>
public sealed record AlertTransition(AlertState State, AlertChange Change);

/// <summary>Persists alert episodes (SQLite/PostgreSQL in the server, memory in tests).</summary>
public interface IAlertStateStore
{
    /// <summary>
    /// Episodes of one monitor (or all when null), newest first; <paramref name="activeOnly"/> keeps firing ones and
    /// resolved ones still being re-sent: those that ended within the store's resolved window, which must be at least
    /// <see cref="AlertingOptions.ResolvedResendWindow"/> (the dispatcher filters the rest itself).
    /// </summary>
    Task<IReadOnlyList<AlertState>> ListAsync(string? monitor, bool activeOnly, CancellationToken ct);

    /// <summary>Inserts or replaces an episode by <see cref="AlertState.Id"/>.</summary>
    Task UpsertAsync(AlertState state, CancellationToken ct);

    /// <summary>
    /// Claims an episode's periodic re-send: sets <c>LastSentAt</c> to <paramref name="sentAt"/> only if the stored
    /// episode still has the <c>UpdatedAt</c> and <c>LastSentAt</c> of <paramref name="seen"/> — nobody changed it (a
    /// monitor run on any replica) or re-sent it (another replica) since it was read. Only the claimer re-sends, and it
    /// never writes back a stale copy of the episode.
    /// </summary>
    Task<bool> TryClaimResendAsync(AlertState seen, DateTimeOffset sentAt, CancellationToken ct);
}

/// <summary>Receives alert-triggered actions (the pipelines module registers one to retrain).</summary>
public interface IAlertActionSink
{
    /// <summary>
    /// Called once when an episode starts firing, for each action named by its rule; once with an empty action when the
    /// rule names none.
    /// </summary>
    Task OnAlertFiringAsync(string action, AlertState alert, CancellationToken ct);
}
