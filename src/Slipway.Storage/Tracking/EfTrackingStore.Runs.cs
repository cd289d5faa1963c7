using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Storage.Audit;
using Slipway.Storage.Rows;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Tracking;

internal sealed partial class EfTrackingStore
{
    public Task CreateRunAsync(RunInfo info, IReadOnlyList<Tag> tags, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var experiment = TryParseId(info.ExperimentId, out var experimentId)
                ? await db.Experiments.FirstOrDefaultAsync(e => e.ExperimentId == experimentId, ct)
                : null;
            if (experiment is null)
                throw SlipwayException.NotFound($"No Experiment with id={info.ExperimentId} exists");
            if (experiment.LifecycleStage != LifecycleStage.Active)
                throw SlipwayException.InvalidParameter($"The experiment {info.ExperimentId} must be in the 'active' state. Current state is {experiment.LifecycleStage}.");
            db.Runs.Add(new RunRow
            {
                RunUuid = info.RunId,
                Name = info.RunName,
                ExperimentId = experimentId,
                UserId = info.UserId,
                Status = info.Status,
                StartTime = info.StartTime,
                EndTime = info.EndTime,
                ArtifactUri = $"{experiment.ArtifactLocation.TrimEnd('/')}/{info.RunId}/artifacts",
                LifecycleStage = LifecycleStage.Active,
            });
            foreach (var tag in tags)
                db.RunTags.Add(new RunTagRow { RunUuid = info.RunId, Key = tag.Key, Value = tag.Value });
        }, ct);

    public Task<Run?> GetRunAsync(string runId, CancellationToken ct) =>
        ReadAsync(async db =>
        {
            var row = await db.Runs.FirstOrDefaultAsync(r => r.RunUuid == runId, ct);
            if (row is null)
                return null;
            var runs = await LoadRunsAsync(db, [row], ct);
            return runs[0];
        }, ct);

    public Task<RunInfo?> GetRunInfoAsync(string runId, CancellationToken ct) =>
        ReadAsync(async db =>
        {
            var row = await db.Runs.FirstOrDefaultAsync(r => r.RunUuid == runId, ct);
            return row is null ? null : RowMapping.ToRunInfo(row);
        }, ct);

    public Task<RunInfo> UpdateRunAsync(string runId, RunUpdate update, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await FindRunAsync(db, runId, tracking: true, ct);
            EnsureActive(row);
            if (update.Status is not null)
                row.Status = update.Status;
            if (update.EndTime is not null)
                row.EndTime = update.EndTime;
            if (update.RunName is not null)
            {
                row.Name = update.RunName;
                await using var commands = new IngestCommands(db.Database.GetDbConnection(), CurrentTransaction(db), sqlite: IsSqlite);
                await commands.UpsertTagsAsync(runId, [new Tag(SystemTags.RunName, update.RunName)], ct);
            }
            return RowMapping.ToRunInfo(row);
        }, ct);

    public Task SetRunLifecycleAsync(string runId, string stage, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await FindRunAsync(db, runId, tracking: true, ct);
            AuditLog.Append(db, RunActor(audit, row), stage == LifecycleStage.Deleted ? TrackingActions.RunDeleted : TrackingActions.RunRestored,
                AuditResources.Run(runId), new RunAuditSnapshot(runId, row.ExperimentId, row.LifecycleStage), new RunAuditSnapshot(runId, row.ExperimentId, stage), now);
            row.LifecycleStage = stage;
            row.DeletedTime = stage == LifecycleStage.Deleted ? now : null;
        }, ct);

    public Task DeleteTagAsync(string runId, string key, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await FindRunAsync(db, runId, tracking: false, ct);
            EnsureActive(row);
            var tag = await db.RunTags.FirstOrDefaultAsync(t => t.RunUuid == runId && t.Key == key, ct)
                ?? throw SlipwayException.NotFound($"No tag with name: {key} in run with id {runId}");
            await db.RunTags.Where(t => t.RunUuid == runId && t.Key == key).ExecuteDeleteAsync(ct);
            AuditLog.Append(db, RunActor(audit, row), TrackingActions.RunTagDeleted, AuditResources.Run(runId), new Tag(tag.Key, tag.Value), null, now);
        }, ct);

    private sealed record RunAuditSnapshot(string RunId, long ExperimentId, string LifecycleStage);

    /// <summary>Without a user named by the request, the change is attributed to the run's own user (its <c>mlflow.user</c>).</summary>
    private static AuditContext RunActor(AuditContext audit, RunRow row) =>
        audit.Actor == AuditContext.Anonymous && !string.IsNullOrEmpty(row.UserId) ? audit with { Actor = row.UserId } : audit;

    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> inputs, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var run = await FindRunAsync(db, runId, tracking: false, ct);
            EnsureActive(run);
            var position = await db.RunInputs.CountAsync(i => i.RunUuid == runId, ct);
            foreach (var input in inputs)
            {
                var d = input.Dataset;
                var dataset = await db.Datasets.FirstOrDefaultAsync(x => x.ExperimentId == run.ExperimentId && x.Name == d.Name && x.Digest == d.Digest, ct);
                if (dataset is null)
                {
                    dataset = new DatasetRow
                    {
                        DatasetUuid = Guid.NewGuid().ToString("N"),
                        ExperimentId = run.ExperimentId,
                        Name = d.Name,
                        Digest = d.Digest,
                        SourceType = d.SourceType,
                        Source = d.Source,
                        Schema = d.Schema,
                        Profile = d.Profile,
                    };
                    db.Datasets.Add(dataset);
                    await db.SaveChangesAsync(ct);
                }
                // The same dataset logged twice to a run keeps the first input and its tags (MLflow does the same).
                if (await db.RunInputs.AnyAsync(i => i.RunUuid == runId && i.DatasetUuid == dataset.DatasetUuid, ct)
                    || db.ChangeTracker.Entries<RunInputRow>().Any(e => e.Entity.RunUuid == runId && e.Entity.DatasetUuid == dataset.DatasetUuid))
                    continue;
                db.RunInputs.Add(new RunInputRow { RunUuid = runId, DatasetUuid = dataset.DatasetUuid, Position = position++ });
                foreach (var tag in input.Tags.DistinctBy(t => t.Key))
                    db.RunInputTags.Add(new RunInputTagRow { RunUuid = runId, DatasetUuid = dataset.DatasetUuid, Key = tag.Key, Value = tag.Value });
            }
        }, ct);

    private static async Task<RunRow> FindRunAsync(SlipwayDbContext db, string runId, bool tracking, CancellationToken ct)
    {
        var query = tracking ? db.Runs.AsTracking() : db.Runs;
        return await query.FirstOrDefaultAsync(r => r.RunUuid == runId, ct)
            ?? throw SlipwayException.NotFound($"Run with id={runId} not found");
    }

    private static void EnsureActive(RunRow row)
    {
        if (row.LifecycleStage != LifecycleStage.Active)
            throw SlipwayException.InvalidParameter($"The run {row.RunUuid} must be in the 'active' state. Current state is {row.LifecycleStage}.");
    }

    private Task<IReadOnlyList<Run>> LoadRunsAsync(SlipwayDbContext db, IReadOnlyList<RunRow> rows, CancellationToken ct) =>
        new RunPageLoader(db, IsSqlite).LoadAsync(rows, ct);
}
