using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Storage.Audit;
using Slipway.Storage.Rows;
using Slipway.Tracking.Domain;
using Slipway.Tracking.Gc;

namespace Slipway.Storage.Tracking;

// ITrackingPurge, the deleting half. Each purge is one write transaction that first checks again what the listing
// saw: the row is still deleted, deleted before the cutoff, and no model version points at it. Child rows go by
// sub-query on the runs table, so the runs themselves are deleted last.
internal sealed partial class EfTrackingStore
{
    private sealed record RunPurgeSnapshot(string RunId, string ExperimentId, string Name, long? DeletedTime, string ArtifactUri);

    private sealed record ExperimentPurgeSnapshot(string ExperimentId, string Name, string ArtifactLocation, long LastUpdateTime, int Runs);

    public Task<bool> PurgeRunAsync(string runId, long deletedBefore, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await db.Runs.FirstOrDefaultAsync(r => r.RunUuid == runId, ct);
            if (row is null || row.LifecycleStage != LifecycleStage.Deleted || row.DeletedTime is null || row.DeletedTime > deletedBefore)
                return false;
            if (await db.ModelVersions.AnyAsync(v => v.RunId == runId || v.Source.Contains(runId), ct))
                return false;
            await DeleteRunRowsAsync(db, db.Runs.Where(r => r.RunUuid == runId), [runId], ct);
            AuditLog.Append(db, audit, GcActions.RunPurged, AuditResources.Run(runId), Snapshot(row), null, now);
            return true;
        }, ct);

    public Task<bool> PurgeExperimentAsync(string experimentId, long deletedBefore, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = TryParseId(experimentId, out var id) ? await db.Experiments.FirstOrDefaultAsync(e => e.ExperimentId == id, ct) : null;
            if (row is null || row.LifecycleStage != LifecycleStage.Deleted || row.LastUpdateTime > deletedBefore)
                return false;
            var runs = await db.Runs.Where(r => r.ExperimentId == id).ToListAsync(ct);
            if (runs.Any(r => r.LifecycleStage != LifecycleStage.Deleted))
                return false;
            var references = await LoadRunReferencesAsync(db, ct);
            if (runs.Any(r => references.Any(v => v.RunId == r.RunUuid || v.Source.Contains(r.RunUuid, StringComparison.Ordinal))))
                return false;

            var datasets = db.Datasets.Where(d => d.ExperimentId == id).Select(d => d.DatasetUuid);
            await db.RunInputTags.Where(t => datasets.Contains(t.DatasetUuid)).ExecuteDeleteAsync(ct);
            await db.RunInputs.Where(i => datasets.Contains(i.DatasetUuid)).ExecuteDeleteAsync(ct);
            await db.Datasets.Where(d => d.ExperimentId == id).ExecuteDeleteAsync(ct);
            await DeleteRunRowsAsync(db, db.Runs.Where(r => r.ExperimentId == id), runs.Select(r => r.RunUuid).ToList(), ct);
            await db.ExperimentTags.Where(t => t.ExperimentId == id).ExecuteDeleteAsync(ct);
            await db.Experiments.Where(e => e.ExperimentId == id).ExecuteDeleteAsync(ct);

            foreach (var run in runs)
                AuditLog.Append(db, audit, GcActions.RunPurged, AuditResources.Run(run.RunUuid), Snapshot(run), null, now);
            AuditLog.Append(db, audit, GcActions.ExperimentPurged, AuditResources.Experiment(experimentId),
                new ExperimentPurgeSnapshot(experimentId, row.Name, row.ArtifactLocation, row.LastUpdateTime, runs.Count), null, now);
            return true;
        }, ct);

    /// <summary>Deletes the selected runs with every row that hangs off them, and step-cache entries whose outputs
    /// name one of them (a cache hit would otherwise hand out a model URI whose files are gone).</summary>
    private static async Task DeleteRunRowsAsync(SlipwayDbContext db, IQueryable<RunRow> selection, IReadOnlyList<string> runIds, CancellationToken ct)
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
        await selection.ExecuteDeleteAsync(ct);
    }

    private static RunPurgeSnapshot Snapshot(RunRow row) =>
        new(row.RunUuid, ToId(row.ExperimentId), row.Name, row.DeletedTime, row.ArtifactUri);
}
