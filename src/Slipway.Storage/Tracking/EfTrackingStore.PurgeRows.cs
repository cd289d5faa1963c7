using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Storage.Audit;
using Slipway.Storage.Rows;
using Slipway.Tracking.Domain;
using Slipway.Tracking.Gc;

namespace Slipway.Storage.Tracking;

// ITrackingPurge, the deleting half. Each purge is one write transaction that locks the rows (PostgreSQL), checks
// again what the listing saw (still deleted, deleted before the cutoff, no model version or monitor points at it),
// and deletes only rows that still meet those conditions, rolling back unless it removed exactly what it checked.
// Child rows go by sub-query on the runs table, so the runs themselves are deleted last.
internal sealed partial class EfTrackingStore
{
    private sealed record RunPurgeSnapshot(string RunId, string ExperimentId, string Name, long? DeletedTime, string ArtifactUri);

    private sealed record ExperimentPurgeSnapshot(string ExperimentId, string Name, string ArtifactLocation, long LastUpdateTime, int Runs);

    public async Task<bool> PurgeRunAsync(string runId, long deletedBefore, long now, AuditContext audit, CancellationToken ct)
    {
        try
        {
            return await WriteAsync(async db =>
            {
                var row = await LockRunsAsync(db, runId, experimentId: null, ct) is [var only] ? only : null;
                if (row is null || row.LifecycleStage != LifecycleStage.Deleted || row.DeletedTime is null || row.DeletedTime > deletedBefore)
                    return false;
                var references = await LoadPurgeReferencesAsync(db, ct);
                if (ToPurgeCandidate(row, references).IsReferenced)
                    return false;
                var purgeable = db.Runs.Where(r => r.RunUuid == runId && r.LifecycleStage == LifecycleStage.Deleted && r.DeletedTime != null && r.DeletedTime <= deletedBefore);
                if (await DeleteRunRowsAsync(db, purgeable, [runId], ct) != 1)
                    throw new PurgeConflictException();
                AuditLog.Append(db, audit, GcActions.RunPurged, AuditResources.Run(runId), Snapshot(row), null, now);
                return true;
            }, ct);
        }
        catch (PurgeConflictException)
        {
            return false;
        }
    }

    public async Task<bool> PurgeExperimentAsync(string experimentId, long deletedBefore, long now, AuditContext audit, CancellationToken ct)
    {
        if (!TryParseId(experimentId, out var id))
            return false;
        try
        {
            return await WriteAsync(async db =>
            {
                var row = IsSqlite
                    ? await db.Experiments.FirstOrDefaultAsync(e => e.ExperimentId == id, ct)
                    : (await db.Experiments.FromSql($"SELECT * FROM experiments WHERE experiment_id = {id} FOR UPDATE").ToListAsync(ct)).FirstOrDefault();
                if (row is null || row.LifecycleStage != LifecycleStage.Deleted || row.LastUpdateTime > deletedBefore)
                    return false;
                var runs = await LockRunsAsync(db, runId: null, experimentId: id, ct);
                if (runs.Any(r => r.LifecycleStage != LifecycleStage.Deleted || r.DeletedTime is null || r.DeletedTime > deletedBefore))
                    return false;
                var references = await LoadPurgeReferencesAsync(db, ct);
                if (runs.Any(r => ToPurgeCandidate(r, references).IsReferenced))
                    return false;

                var datasets = db.Datasets.Where(d => d.ExperimentId == id).Select(d => d.DatasetUuid);
                await db.RunInputTags.Where(t => datasets.Contains(t.DatasetUuid)).ExecuteDeleteAsync(ct);
                await db.RunInputs.Where(i => datasets.Contains(i.DatasetUuid)).ExecuteDeleteAsync(ct);
                await db.Datasets.Where(d => d.ExperimentId == id).ExecuteDeleteAsync(ct);
                var purgeableRuns = db.Runs.Where(r => r.ExperimentId == id && r.LifecycleStage == LifecycleStage.Deleted && r.DeletedTime != null && r.DeletedTime <= deletedBefore);
                if (await DeleteRunRowsAsync(db, purgeableRuns, runs.Select(r => r.RunUuid).ToList(), ct) != runs.Count)
                    throw new PurgeConflictException();
                await db.ExperimentTags.Where(t => t.ExperimentId == id).ExecuteDeleteAsync(ct);
                // The experiment goes only if it is still deleted before the cutoff and no run was added to it since
                // the runs were read; anything else rolls the whole purge back.
                var removed = await db.Experiments
                    .Where(e => e.ExperimentId == id && e.LifecycleStage == LifecycleStage.Deleted && e.LastUpdateTime <= deletedBefore && !db.Runs.Any(r => r.ExperimentId == id))
                    .ExecuteDeleteAsync(ct);
                if (removed != 1)
                    throw new PurgeConflictException();
                // Its permission grants go in the same transaction, so none outlives the experiment it names.
                await Security.EfSecurityStore.ForgetGrantsAsync(db, Slipway.Core.Security.ResourceKinds.Format(Slipway.Core.Security.ResourceKind.Experiment),
                    experimentId, audit, now, ct);

                foreach (var run in runs)
                    AuditLog.Append(db, audit, GcActions.RunPurged, AuditResources.Run(run.RunUuid), Snapshot(run), null, now);
                AuditLog.Append(db, audit, GcActions.ExperimentPurged, AuditResources.Experiment(experimentId),
                    new ExperimentPurgeSnapshot(experimentId, row.Name, row.ArtifactLocation, row.LastUpdateTime, runs.Count), null, now);
                return true;
            }, ct);
        }
        catch (PurgeConflictException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads the run (or an experiment's runs) for the purge. On PostgreSQL the rows are locked FOR UPDATE: a restore
    /// that committed first is seen here (READ COMMITTED re-reads locked rows), one that comes later waits for the purge
    /// and then finds no run, and a model version being created takes FOR SHARE on its run, so it is either visible to
    /// the reference check below or created after the purge. SQLite serializes writers, so a plain read is enough.
    /// </summary>
    private async Task<List<RunRow>> LockRunsAsync(SlipwayDbContext db, string? runId, long? experimentId, CancellationToken ct)
    {
        if (IsSqlite)
        {
            return runId is not null
                ? await db.Runs.Where(r => r.RunUuid == runId).ToListAsync(ct)
                : await db.Runs.Where(r => r.ExperimentId == experimentId).ToListAsync(ct);
        }
        return runId is not null
            ? await db.Runs.FromSql($"SELECT * FROM runs WHERE run_uuid = {runId} FOR UPDATE").ToListAsync(ct)
            : await db.Runs.FromSql($"SELECT * FROM runs WHERE experiment_id = {experimentId} ORDER BY run_uuid FOR UPDATE").ToListAsync(ct);
    }

    /// <summary>The final delete found other rows than the checks did: the transaction is rolled back by throwing.</summary>
    private sealed class PurgeConflictException : Exception;

    /// <summary>Deletes the selected runs with every row that hangs off them, and step-cache entries whose outputs
    /// name one of them (a cache hit would otherwise hand out a model URI whose files are gone).</summary>
    private static async Task<int> DeleteRunRowsAsync(SlipwayDbContext db, IQueryable<RunRow> selection, IReadOnlyList<string> runIds, CancellationToken ct)
    {
        var ids = selection.Select(r => r.RunUuid);
        await db.Params.Where(p => ids.Contains(p.RunUuid)).ExecuteDeleteAsync(ct);
        await db.RunTags.Where(t => ids.Contains(t.RunUuid)).ExecuteDeleteAsync(ct);
        await db.Metrics.Where(m => ids.Contains(m.RunUuid)).ExecuteDeleteAsync(ct);
        await db.LatestMetrics.Where(m => ids.Contains(m.RunUuid)).ExecuteDeleteAsync(ct);
        await db.RunInputTags.Where(t => ids.Contains(t.RunUuid)).ExecuteDeleteAsync(ct);
        await db.RunInputs.Where(i => ids.Contains(i.RunUuid)).ExecuteDeleteAsync(ct);
        if (await db.PipelineStepCache.AnyAsync(ct))
        {
            foreach (var runId in runIds)
                await db.PipelineStepCache.Where(c => c.Outputs.Contains(runId)).ExecuteDeleteAsync(ct);
        }
        return await selection.ExecuteDeleteAsync(ct);
    }

    private static RunPurgeSnapshot Snapshot(RunRow row) =>
        new(row.RunUuid, ToId(row.ExperimentId), row.Name, row.DeletedTime, row.ArtifactUri);
}
