using Slipway.Core.Audit;
using Slipway.Core.Errors;

namespace Slipway.Core.Pipelines;

/// <summary>
/// A stored pipeline: its YAML as applied, a hash of it, the <c>concurrency</c> limit read from it, and the schedule
/// bookkeeping (<see cref="NextScheduleTime"/> is the next cron slot, claimed by a conditional update). Times are unix ms.
/// </summary>
public sealed record PipelineRecord(
    string Name,
    string Yaml,
    string DefinitionHash,
    bool Enabled,
    int Concurrency,
    long CreationTime,
    long LastUpdatedTime,
    long? NextScheduleTime,
    long? LastScheduleSlot)
{
    /// <summary>
    /// The folder (on the server) the pipeline's runs work in unless a run names another: where its file's relative
    /// paths point. Null for a fresh folder per run.
    /// </summary>
    public string? WorkingDirectory { get; init; }
}

/// <summary>The status values of <see cref="PipelineRunRecord.Status"/>.</summary>
public static class PipelineRunStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsFinal(string status) => status is Succeeded or Failed or Cancelled;
}

/// <summary>
/// One run of a stored pipeline. <see cref="Id"/> is the MLflow parent run id. <see cref="TriggerDetail"/>,
/// <see cref="Params"/> and <see cref="Steps"/> are JSON written and read by the pipelines module (the store does not
/// interpret them). <see cref="Replica"/> names the process that claimed the run; while it executes the run it refreshes
/// <see cref="HeartbeatTime"/> (unix ms), and a <c>running</c> run whose heartbeat goes stale is failed by any replica.
/// </summary>
public sealed record PipelineRunRecord(
    string Id,
    string Pipeline,
    string Status,
    string TriggerKind,
    string TriggerDetail,
    string Params,
    string Steps,
    string? ExperimentId,
    string? WorkingDirectory,
    long CreationTime,
    long? StartTime,
    long? EndTime,
    string? Replica,
    bool CancelRequested,
    string? Error)
{
    /// <summary>When the replica executing the run last said it is alive (unix ms); null before the run is claimed.</summary>
    public long? HeartbeatTime { get; init; }
}

/// <summary>A cached step result: outputs (JSON object) of a successful step, keyed per pipeline by its cache key.</summary>
public sealed record PipelineStepCacheRecord(string Pipeline, string Key, string Outputs, string SourceRun, long CreationTime);

/// <summary>Audit actions and resource paths of pipeline changes.</summary>
public static class PipelineActions
{
    public const string Created = "pipeline.created";
    public const string Updated = "pipeline.updated";
    public const string Deleted = "pipeline.deleted";
    public const string RunStarted = "pipeline.run_started";
    public const string RunCancelled = "pipeline.run_cancelled";

    /// <summary>The audit resource of a pipeline, e.g. <c>pipelines/churn</c>.</summary>
    public static string Resource(string name) => "pipelines/" + name;

    /// <summary>The audit resource of a run, e.g. <c>pipelines/churn/runs/0a1b…</c>.</summary>
    public static string RunResource(string name, string runId) => Resource(name) + "/runs/" + runId;
}

/// <summary>The errors pipeline operations report.</summary>
public static class PipelineErrors
{
    public static SlipwayException NotFound(string name) => SlipwayException.NotFound($"Pipeline '{name}' does not exist.");

    public static SlipwayException RunNotFound(string id) => SlipwayException.NotFound($"Pipeline run '{id}' does not exist.");

    public static SlipwayException HasActiveRuns(string name) =>
        new(ErrorCode.ResourceConflict, $"Pipeline '{name}' has queued or running runs; cancel them before deleting it.");
}

/// <summary>
/// Pipelines, their runs and the step cache (SQLite/PostgreSQL through EF Core in the server). Every state change of a
/// run that two replicas could race on (claiming a queued run, claiming a schedule slot) is a conditional update, so
/// exactly one caller wins.
/// </summary>
public interface IPipelineStore
{
    /// <summary>Creates or replaces a pipeline (keeping its runs); returns the stored record and whether it was new.</summary>
    Task<(PipelineRecord Pipeline, bool Created)> UpsertAsync(PipelineRecord pipeline, AuditContext audit, CancellationToken ct);

    Task<PipelineRecord?> GetAsync(string name, CancellationToken ct);

    Task<IReadOnlyList<PipelineRecord>> ListAsync(CancellationToken ct);

    /// <summary>Deletes a pipeline with its finished runs and cache; <c>RESOURCE_CONFLICT</c> while a run is queued or running.</summary>
    Task DeleteAsync(string name, long now, AuditContext audit, CancellationToken ct);

    /// <summary>Moves the next schedule slot from <paramref name="expected"/> to <paramref name="next"/> if it still is <paramref name="expected"/>.</summary>
    Task<bool> TryClaimScheduleAsync(string name, long expected, long? next, CancellationToken ct);

    /// <summary>Adds a run (normally <c>queued</c>) with its audit event.</summary>
    Task AddRunAsync(PipelineRunRecord run, AuditContext audit, CancellationToken ct);

    /// <summary>
    /// Moves a queued run to <c>running</c> for <paramref name="replica"/> only if it is still queued, was not cancelled
    /// and fewer than <paramref name="limit"/> runs of its pipeline are running; claims of one pipeline are serialized.
    /// The claim sets the start time and the first heartbeat to <paramref name="now"/>.
    /// </summary>
    Task<bool> TryStartRunAsync(string id, int limit, string replica, long now, CancellationToken ct);

    /// <summary>Replaces a run's per-step JSON.</summary>
    Task UpdateRunStepsAsync(string id, string steps, CancellationToken ct);

    /// <summary>Ends a running run (or a queued one) with a final status; false when it had already ended.</summary>
    Task<bool> FinishRunAsync(string id, string status, string? error, long now, CancellationToken ct);

    /// <summary>Sets the heartbeat of those of <paramref name="ids"/> that are still <c>running</c> to <paramref name="now"/> (one UPDATE).</summary>
    Task HeartbeatRunsAsync(IReadOnlyCollection<string> ids, long now, CancellationToken ct);

    /// <summary>
    /// Cancels a run with conditional updates, so a concurrent claim or finish cannot be overwritten: a run still
    /// <c>queued</c> becomes <c>cancelled</c> at once; one still <c>running</c> gets
    /// <see cref="PipelineRunRecord.CancelRequested"/> (the replica running it stops it). Returns the run as stored after
    /// the change and whether this call changed it (false for a finished run or a repeated request); null when unknown.
    /// </summary>
    Task<(PipelineRunRecord Run, bool Changed)?> CancelRunAsync(string id, long now, AuditContext audit, CancellationToken ct);

    Task<PipelineRunRecord?> GetRunAsync(string id, CancellationToken ct);

    /// <summary>Runs newest first, optionally of one pipeline and one status.</summary>
    Task<(IReadOnlyList<PipelineRunRecord> Items, bool HasMore)> ListRunsAsync(string? pipeline, string? status, int maxResults, int offset, CancellationToken ct);

    /// <summary>Every queued run, oldest first (the order they start in).</summary>
    Task<IReadOnlyList<PipelineRunRecord>> ListQueuedRunsAsync(CancellationToken ct);

    /// <summary>
    /// Marks failed, with <paramref name="error"/>, every <c>running</c> run whose heartbeat (or start time, without one)
    /// is older than <paramref name="staleBefore"/>: runs of a replica that died or stopped responding. Returns them as
    /// they were before the change (their <see cref="PipelineRunRecord.Replica"/> says who held them).
    /// </summary>
    Task<IReadOnlyList<PipelineRunRecord>> FailStaleRunsAsync(long staleBefore, string error, long now, CancellationToken ct);

    Task<PipelineStepCacheRecord?> GetCachedStepAsync(string pipeline, string key, CancellationToken ct);

    /// <summary>Inserts or replaces a cache entry.</summary>
    Task PutCachedStepAsync(PipelineStepCacheRecord entry, CancellationToken ct);
}
