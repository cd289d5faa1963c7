using Slipway.Core.Audit;

namespace Slipway.Tracking.Gc;

/// <summary>A model version that still points at a run (by its run id or through its source URI).</summary>
public sealed record RunReference(string ModelName, long Version);

/// <summary>
/// A deleted run old enough to purge, and what keeps it: model versions that point at it, and monitors whose spec
/// names it (a monitor resolves its <c>runs:/&lt;run&gt;/…</c> reference data on every run).
/// </summary>
public sealed record RunPurgeCandidate(
    string RunId,
    string ExperimentId,
    string Name,
    long DeletedTime,
    string ArtifactUri,
    IReadOnlyList<RunReference> ReferencedBy,
    IReadOnlyList<string> MonitoredBy)
{
    public bool IsReferenced => ReferencedBy.Count > 0 || MonitoredBy.Count > 0;
}

/// <summary>
/// A deleted experiment old enough to purge, with its runs' artifact locations and what keeps it: model versions or
/// monitors that reference one of its runs, runs that were restored while the experiment stayed deleted, or runs
/// deleted again more recently than the cutoff.
/// </summary>
/// <param name="ArtifactRootKeptBecause">
/// Why the root folder itself must stay (only the runs' own folders are removed), or null when it can go: another
/// experiment's location or another experiment's run lies in the same store folder, inside it or around it, or a
/// model version's source lies under it. Compared as normalized store paths, so aliases of one folder match.
/// </param>
/// <param name="RecentlyDeletedRuns">Runs in it whose own deletion is newer than the cutoff.</param>
public sealed record ExperimentPurgeCandidate(
    string ExperimentId,
    string Name,
    long DeletedTime,
    string ArtifactLocation,
    string? ArtifactRootKeptBecause,
    IReadOnlyList<RunPurgeCandidate> Runs,
    int ActiveRuns,
    int RecentlyDeletedRuns)
{
    public IEnumerable<RunReference> ReferencedBy => Runs.SelectMany(r => r.ReferencedBy);

    public IEnumerable<string> MonitoredBy => Runs.SelectMany(r => r.MonitoredBy).Distinct(StringComparer.Ordinal);

    public bool IsBlocked => ActiveRuns > 0 || RecentlyDeletedRuns > 0 || Runs.Any(r => r.IsReferenced);
}

/// <summary>
/// Permanent removal of runs and experiments in the <c>deleted</c> lifecycle stage (<c>slipway gc</c>). Deletion
/// time is the run's <c>deleted_time</c> and the experiment's <c>last_update_time</c> (set when it was deleted and
/// only ever moved later, so the retention period is never cut short). The purge methods check every condition
/// again inside their transaction, so a run restored or registered since it was listed is left alone.
/// </summary>
public interface ITrackingPurge
{
    /// <summary>Deleted runs with <c>deleted_time</c> at or before <paramref name="deletedBefore"/> (only <paramref name="runIds"/> when given).</summary>
    Task<IReadOnlyList<RunPurgeCandidate>> FindPurgeableRunsAsync(long deletedBefore, IReadOnlyCollection<string>? runIds, CancellationToken ct);

    /// <summary>Deleted experiments last updated at or before <paramref name="deletedBefore"/>, each with all its runs.</summary>
    Task<IReadOnlyList<ExperimentPurgeCandidate>> FindPurgeableExperimentsAsync(long deletedBefore, IReadOnlyCollection<string>? experimentIds, CancellationToken ct);

    /// <summary>
    /// Removes a run's rows (params, metrics, latest metrics, tags, inputs, step-cache entries naming it) and appends a
    /// <see cref="GcActions.RunPurged"/> event, in one transaction. Returns false, changing nothing, when the run is no
    /// longer deleted before the cutoff, or a model version or monitor references it. On PostgreSQL the run row is
    /// locked first and the final delete repeats the lifecycle and cutoff conditions, so a restore racing the purge
    /// either waits for it (and then finds no run) or wins (and the purge changes nothing).
    /// </summary>
    Task<bool> PurgeRunAsync(string runId, long deletedBefore, long now, AuditContext audit, CancellationToken ct);

    /// <summary>As <see cref="PurgeRunAsync"/> for an experiment with all its runs, tags and datasets; every run must
    /// be deleted before the cutoff too.</summary>
    Task<bool> PurgeExperimentAsync(string experimentId, long deletedBefore, long now, AuditContext audit, CancellationToken ct);
}

/// <summary>Audit actions written by the garbage collector.</summary>
public static class GcActions
{
    public const string Actor = "slipway-gc";
    public const string RunPurged = "run.purged";
    public const string ExperimentPurged = "experiment.purged";
}
