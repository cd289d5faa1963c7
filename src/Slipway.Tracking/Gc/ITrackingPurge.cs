using Slipway.Core.Audit;

namespace Slipway.Tracking.Gc;

/// <summary>A model version that still points at a run (by its run id or through its source URI).</summary>
public sealed record RunReference(string ModelName, long Version);

/// <summary>A deleted run old enough to purge, and the model versions that keep it from being purged.</summary>
public sealed record RunPurgeCandidate(
    string RunId,
    string ExperimentId,
    string Name,
    long DeletedTime,
    string ArtifactUri,
    IReadOnlyList<RunReference> ReferencedBy);

/// <summary>
/// A deleted experiment old enough to purge, with its runs' artifact locations and what keeps it: model versions
/// that reference one of its runs, or runs that were restored while the experiment stayed deleted.
/// </summary>
/// <param name="ArtifactRootShared">
/// Another experiment's artifact location is the same folder, inside it or around it, so the root itself must stay
/// (only the runs' own folders are removed).
/// </param>
public sealed record ExperimentPurgeCandidate(
    string ExperimentId,
    string Name,
    long DeletedTime,
    string ArtifactLocation,
    bool ArtifactRootShared,
    IReadOnlyList<RunPurgeCandidate> Runs,
    int ActiveRuns)
{
    public IEnumerable<RunReference> ReferencedBy => Runs.SelectMany(r => r.ReferencedBy);

    public bool IsBlocked => ActiveRuns > 0 || ReferencedBy.Any();
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
    /// longer deleted before the cutoff or a model version references it.
    /// </summary>
    Task<bool> PurgeRunAsync(string runId, long deletedBefore, long now, AuditContext audit, CancellationToken ct);

    /// <summary>As <see cref="PurgeRunAsync"/> for an experiment with all its runs, tags and datasets.</summary>
    Task<bool> PurgeExperimentAsync(string experimentId, long deletedBefore, long now, AuditContext audit, CancellationToken ct);
}

/// <summary>Audit actions written by the garbage collector.</summary>
public static class GcActions
{
    public const string Actor = "slipway-gc";
    public const string RunPurged = "run.purged";
    public const string ExperimentPurged = "experiment.purged";
}
