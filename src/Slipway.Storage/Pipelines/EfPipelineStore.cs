using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Core.Pipelines;
using Slipway.Storage.Audit;
using Slipway.Storage.Rows;

namespace Slipway.Storage.Pipelines;

/// <summary>
/// <see cref="IPipelineStore"/> on EF Core. Claims are conditional UPDATEs: a schedule slot moves only from the value the
/// caller read, and a queued run starts only while its pipeline is under its limit. Run claims of one pipeline first
/// bump that pipeline's <c>claim_sequence</c> in the same transaction, which row-locks it on PostgreSQL, so two replicas
/// cannot both count "one free slot" at once (SQLite serializes writers anyway).
/// </summary>
internal sealed partial class EfPipelineStore(StoreExecutor executor) : IPipelineStore
{
    public Task<(PipelineRecord Pipeline, bool Created)> UpsertAsync(PipelineRecord pipeline, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync<(PipelineRecord, bool)>(async db =>
        {
            var row = await db.Pipelines.AsTracking().FirstOrDefaultAsync(p => p.Name == pipeline.Name, ct);
            var created = row is null;
            var before = row?.Yaml;
            if (row is null)
            {
                row = new PipelineRow { Name = pipeline.Name, CreationTime = pipeline.LastUpdatedTime };
                db.Pipelines.Add(row);
            }
            row.Yaml = pipeline.Yaml;
            row.DefinitionHash = pipeline.DefinitionHash;
            row.Enabled = pipeline.Enabled;
            row.Concurrency = pipeline.Concurrency;
            row.LastUpdatedTime = pipeline.LastUpdatedTime;
            row.NextScheduleTime = pipeline.NextScheduleTime;
            row.WorkingDirectory = pipeline.WorkingDirectory;
            AuditLog.Append(db, audit, created ? PipelineActions.Created : PipelineActions.Updated, PipelineActions.Resource(pipeline.Name),
                before is null ? null : new { yaml = before }, new { yaml = row.Yaml, definition_hash = row.DefinitionHash }, pipeline.LastUpdatedTime);
            return (ToRecord(row), created);
        }, ct);

    public Task<PipelineRecord?> GetAsync(string name, CancellationToken ct) =>
        executor.ReadAsync(async db =>
        {
            var row = await db.Pipelines.FirstOrDefaultAsync(p => p.Name == name, ct);
            return row is null ? null : ToRecord(row);
        }, ct);

    public Task<IReadOnlyList<PipelineRecord>> ListAsync(CancellationToken ct) =>
        executor.ReadAsync<IReadOnlyList<PipelineRecord>>(async db =>
            (await db.Pipelines.OrderBy(p => p.Name).ToListAsync(ct)).ConvertAll(ToRecord), ct);

    public Task DeleteAsync(string name, long now, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            var row = await db.Pipelines.AsTracking().FirstOrDefaultAsync(p => p.Name == name, ct) ?? throw PipelineErrors.NotFound(name);
            if (await db.PipelineRuns.AnyAsync(r => r.Pipeline == name && (r.Status == PipelineRunStates.Queued || r.Status == PipelineRunStates.Running), ct))
                throw PipelineErrors.HasActiveRuns(name);
            db.Pipelines.Remove(row);
            await db.PipelineRuns.Where(r => r.Pipeline == name).ExecuteDeleteAsync(ct);
            await db.PipelineStepCache.Where(c => c.Pipeline == name).ExecuteDeleteAsync(ct);
            AuditLog.Append(db, audit, PipelineActions.Deleted, PipelineActions.Resource(name), new { yaml = row.Yaml }, null, now);
        }, ct);

    public Task<bool> TryClaimScheduleAsync(string name, long expected, long? next, CancellationToken ct) =>
        executor.WriteAsync(async db =>
            await db.Pipelines.Where(p => p.Name == name && p.NextScheduleTime == expected)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.NextScheduleTime, next).SetProperty(p => p.LastScheduleSlot, expected), ct) == 1, ct);

    public Task AddRunAsync(PipelineRunRecord run, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(db =>
        {
            db.PipelineRuns.Add(ToRow(run));
            AuditLog.Append(db, audit, PipelineActions.RunStarted, PipelineActions.RunResource(run.Pipeline, run.Id), null,
                new { trigger = run.TriggerKind, status = run.Status }, run.CreationTime);
            return Task.CompletedTask;
        }, ct);

    public Task<bool> TryStartRunAsync(string id, int limit, string replica, long now, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            var pipeline = await db.PipelineRuns.Where(r => r.Id == id).Select(r => r.Pipeline).FirstOrDefaultAsync(ct);
            if (pipeline is null)
                return false;
            await db.Pipelines.Where(p => p.Name == pipeline)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.ClaimSequence, p => p.ClaimSequence + 1), ct);
            var claimed = await db.PipelineRuns
                .Where(r => r.Id == id && r.Status == PipelineRunStates.Queued && !r.CancelRequested
                    && db.PipelineRuns.Count(o => o.Pipeline == pipeline && o.Status == PipelineRunStates.Running) < limit)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, PipelineRunStates.Running)
                    .SetProperty(r => r.Replica, replica)
                    .SetProperty(r => r.StartTime, now)
                    .SetProperty(r => r.HeartbeatTime, now), ct);
            return claimed == 1;
        }, ct);

    public Task UpdateRunStepsAsync(string id, string steps, CancellationToken ct) =>
        executor.WriteAsync(async db =>
            await db.PipelineRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Steps, steps), ct), ct);

    public Task<bool> FinishRunAsync(string id, string status, string? error, long now, CancellationToken ct) =>
        executor.WriteAsync(async db =>
            await db.PipelineRuns
                .Where(r => r.Id == id && (r.Status == PipelineRunStates.Running || r.Status == PipelineRunStates.Queued))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.Error, error).SetProperty(r => r.EndTime, now), ct) == 1, ct);

    public Task HeartbeatRunsAsync(IReadOnlyCollection<string> ids, long now, CancellationToken ct) =>
        ids.Count == 0
            ? Task.CompletedTask
            : executor.WriteAsync(async db =>
                await db.PipelineRuns.Where(r => ids.Contains(r.Id) && r.Status == PipelineRunStates.Running)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeartbeatTime, now), ct), ct);

    public Task<(PipelineRunRecord Run, bool Changed)?> CancelRunAsync(string id, long now, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync<(PipelineRunRecord, bool)?>(async db =>
        {
            // Each step is conditional on the status it changes, so a claim or finish racing this call is never overwritten.
            string? before = null;
            if (await db.PipelineRuns.Where(r => r.Id == id && r.Status == PipelineRunStates.Queued)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.Status, PipelineRunStates.Cancelled)
                        .SetProperty(r => r.CancelRequested, true)
                        .SetProperty(r => r.EndTime, now)
                        .SetProperty(r => r.Error, "cancelled before it started"), ct) == 1)
                before = PipelineRunStates.Queued;
            else if (await db.PipelineRuns.Where(r => r.Id == id && r.Status == PipelineRunStates.Running && !r.CancelRequested)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.CancelRequested, true), ct) == 1)
                before = PipelineRunStates.Running;
            var row = await db.PipelineRuns.FirstOrDefaultAsync(r => r.Id == id, ct);
            if (row is null)
                return null;
            if (before is not null)
            {
                AuditLog.Append(db, audit, PipelineActions.RunCancelled, PipelineActions.RunResource(row.Pipeline, row.Id),
                    new { status = before }, new { status = row.Status, cancel_requested = true }, now);
            }
            return (ToRecord(row), before is not null);
        }, ct);

    public Task<PipelineRunRecord?> GetRunAsync(string id, CancellationToken ct) =>
        executor.ReadAsync(async db =>
        {
            var row = await db.PipelineRuns.FirstOrDefaultAsync(r => r.Id == id, ct);
            return row is null ? null : ToRecord(row);
        }, ct);

    public Task<(IReadOnlyList<PipelineRunRecord> Items, bool HasMore)> ListRunsAsync(
        string? pipeline, string? status, int maxResults, int offset, CancellationToken ct) =>
        executor.ReadAsync<(IReadOnlyList<PipelineRunRecord>, bool)>(async db =>
        {
            var query = db.PipelineRuns.AsQueryable();
            if (pipeline is not null)
                query = query.Where(r => r.Pipeline == pipeline);
            if (status is not null)
                query = query.Where(r => r.Status == status);
            var rows = await query.OrderByDescending(r => r.CreationTime).ThenByDescending(r => r.Id)
                .Skip(offset).Take(maxResults + 1).ToListAsync(ct);
            var hasMore = rows.Count > maxResults;
            if (hasMore)
                rows.RemoveAt(rows.Count - 1);
            return (rows.ConvertAll(ToRecord), hasMore);
        }, ct);

    public Task<IReadOnlyList<PipelineRunRecord>> ListQueuedRunsAsync(CancellationToken ct) =>
        executor.ReadAsync<IReadOnlyList<PipelineRunRecord>>(async db =>
            (await db.PipelineRuns.Where(r => r.Status == PipelineRunStates.Queued)
                .OrderBy(r => r.CreationTime).ThenBy(r => r.Id).ToListAsync(ct)).ConvertAll(ToRecord), ct);

    public Task<IReadOnlyList<PipelineRunRecord>> FailStaleRunsAsync(long staleBefore, string error, long now, CancellationToken ct) =>
        executor.WriteAsync<IReadOnlyList<PipelineRunRecord>>(async db =>
        {
            var stale = await db.PipelineRuns
                .Where(r => r.Status == PipelineRunStates.Running && (r.HeartbeatTime ?? r.StartTime ?? 0) < staleBefore)
                .ToListAsync(ct);
            var failed = new List<PipelineRunRecord>(stale.Count);
            foreach (var row in stale)
            {
                // Re-checked per row: a heartbeat that lands after the read keeps its run alive.
                var updated = await db.PipelineRuns
                    .Where(r => r.Id == row.Id && r.Status == PipelineRunStates.Running && (r.HeartbeatTime ?? r.StartTime ?? 0) < staleBefore)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, PipelineRunStates.Failed)
                        .SetProperty(r => r.Error, error).SetProperty(r => r.EndTime, now), ct);
                if (updated == 1)
                    failed.Add(ToRecord(row));
            }
            return failed;
        }, ct);

    public Task<PipelineStepCacheRecord?> GetCachedStepAsync(string pipeline, string key, CancellationToken ct) =>
        executor.ReadAsync(async db =>
        {
            var row = await db.PipelineStepCache.FirstOrDefaultAsync(c => c.Pipeline == pipeline && c.CacheKey == key, ct);
            return row is null ? null : new PipelineStepCacheRecord(row.Pipeline, row.CacheKey, row.Outputs, row.SourceRun, row.CreationTime);
        }, ct);

    public Task PutCachedStepAsync(PipelineStepCacheRecord entry, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            var row = await db.PipelineStepCache.AsTracking().FirstOrDefaultAsync(c => c.Pipeline == entry.Pipeline && c.CacheKey == entry.Key, ct);
            if (row is null)
            {
                row = new PipelineStepCacheRow { Pipeline = entry.Pipeline, CacheKey = entry.Key };
                db.PipelineStepCache.Add(row);
            }
            row.Outputs = entry.Outputs;
            row.SourceRun = entry.SourceRun;
            row.CreationTime = entry.CreationTime;
        }, ct);

    private static PipelineRecord ToRecord(PipelineRow row) =>
        new(row.Name, row.Yaml, row.DefinitionHash, row.Enabled, row.Concurrency, row.CreationTime, row.LastUpdatedTime,
            row.NextScheduleTime, row.LastScheduleSlot) { WorkingDirectory = row.WorkingDirectory };

    private static PipelineRunRecord ToRecord(PipelineRunRow row) =>
        new(row.Id, row.Pipeline, row.Status, row.TriggerKind, row.TriggerDetail, row.Params, row.Steps, row.ExperimentId,
            row.WorkingDirectory, row.CreationTime, row.StartTime, row.EndTime, row.Replica, row.CancelRequested, row.Error)
        {
            HeartbeatTime = row.HeartbeatTime,
        };

    private static PipelineRunRow ToRow(PipelineRunRecord run) => new()
    {
        Id = run.Id,
        Pipeline = run.Pipeline,
        Status = run.Status,
        TriggerKind = run.TriggerKind,
        TriggerDetail = run.TriggerDetail,
        Params = run.Params,
        Steps = run.Steps,
        ExperimentId = run.ExperimentId,
        WorkingDirectory = run.WorkingDirectory,
        CreationTime = run.CreationTime,
        StartTime = run.StartTime,
        EndTime = run.EndTime,
        Replica = run.Replica,
        CancelRequested = run.CancelRequested,
        Error = run.Error,
        HeartbeatTime = run.HeartbeatTime,
    };
}
