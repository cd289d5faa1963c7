using Slipway.Core.Audit;

namespace Slipway.Monitoring.Monitors;

/// <summary>A stored monitor: its spec, timestamps (unix ms) and the next scheduled run, when it has a schedule.</summary>
public sealed record MonitorRecord(MonitorSpec Spec, long CreationTime, long LastUpdatedTime, long? NextRunTime);

public enum MonitorRunStatus
{
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// One monitor run as history shows it. <see cref="Result"/> is the JSON of the whole <see cref="MonitorRunResult"/>
/// (only loaded for a single run); the reports are artifact paths. Times are unix milliseconds.
/// </summary>
public sealed record MonitorRunRecord(
    string Id,
    string Monitor,
    string Trigger,
    MonitorRunStatus Status,
    long StartTime,
    long? EndTime,
    long WindowStart,
    long WindowEnd,
    long RowsSeen,
    string? ModelVersion,
    double? DriftShare,
    bool? DatasetDrift,
    int? DriftedColumns,
    int? CheckedColumns,
    int? QualityFailures,
    string? Error,
    string? ReportHtml,
    string? ReportJson,
    string? Result);

/// <summary>Monitors and their run history (SQLite/PostgreSQL through EF Core in the server).</summary>
public interface IMonitorStore
{
    /// <summary>A duplicate name is <c>RESOURCE_ALREADY_EXISTS</c>.</summary>
    Task<MonitorRecord> CreateAsync(MonitorSpec spec, long? nextRunTime, long now, AuditContext audit, CancellationToken ct);

    /// <summary>Replaces the spec and the next run time; an unknown name is <c>RESOURCE_DOES_NOT_EXIST</c>.</summary>
    Task<MonitorRecord> UpdateAsync(MonitorSpec spec, long? nextRunTime, long now, AuditContext audit, CancellationToken ct);

    Task<MonitorRecord?> GetAsync(string name, CancellationToken ct);

    Task<IReadOnlyList<MonitorRecord>> ListAsync(string? endpoint, CancellationToken ct);

    /// <summary>Deletes the monitor with its runs and alert episodes.</summary>
    Task DeleteAsync(string name, long now, AuditContext audit, CancellationToken ct);

    /// <summary>
    /// Moves a monitor's next run time from <paramref name="expected"/> to <paramref name="next"/> only if it still
    /// is <paramref name="expected"/>: the one replica that succeeds runs the scheduled slot.
    /// </summary>
    Task<bool> TryClaimScheduledRunAsync(string name, long expected, long? next, CancellationToken ct);

    Task AddRunAsync(MonitorRunRecord run, CancellationToken ct);

    Task UpdateRunAsync(MonitorRunRecord run, CancellationToken ct);

    /// <summary>One run with its result JSON; null when unknown.</summary>
    Task<MonitorRunRecord?> GetRunAsync(string monitor, string id, CancellationToken ct);

    /// <summary>Runs newest first, without the result JSON.</summary>
    Task<(IReadOnlyList<MonitorRunRecord> Items, bool HasMore)> ListRunsAsync(string monitor, int maxResults, int offset, CancellationToken ct);
}
