using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Storage.Audit;
using Slipway.Storage.Rows;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Tracking;

internal sealed partial class EfTrackingStore
{
    public Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyList<Tag> tags, long now, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            if (await db.Experiments.AnyAsync(e => e.Name == name, ct))
                throw SlipwayException.AlreadyExists($"Experiment(name={name}) already exists.");
            var row = new ExperimentRow
            {
                Name = name,
                ArtifactLocation = artifactLocation ?? "",
                LifecycleStage = LifecycleStage.Active,
                CreationTime = now,
                LastUpdateTime = now,
            };
            db.Experiments.Add(row);
            await db.SaveChangesAsync(ct);
            if (string.IsNullOrEmpty(artifactLocation))
                row.ArtifactLocation = $"mlflow-artifacts:/{row.ExperimentId}";
            foreach (var tag in tags)
                db.ExperimentTags.Add(new ExperimentTagRow { ExperimentId = row.ExperimentId, Key = tag.Key, Value = tag.Value });
            return row.ExperimentId.ToString(CultureInfo.InvariantCulture);
        }, ct);

    public Task<Experiment?> GetExperimentAsync(string experimentId, CancellationToken ct) =>
        ReadAsync(async db =>
        {
            if (!TryParseId(experimentId, out var id))
                return null;
            var row = await db.Experiments.FirstOrDefaultAsync(e => e.ExperimentId == id, ct);
            return row is null ? null : await LoadExperimentAsync(db, row, ct);
        }, ct);

    public Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken ct) =>
        ReadAsync(async db =>
        {
            var row = await db.Experiments.FirstOrDefaultAsync(e => e.Name == name, ct);
            return row is null ? null : await LoadExperimentAsync(db, row, ct);
        }, ct);

    public Task RenameExperimentAsync(string experimentId, string newName, long now, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await FindExperimentForUpdateAsync(db, experimentId, ct);
            if (row.Name == newName)
                return;
            if (await db.Experiments.AnyAsync(e => e.Name == newName, ct))
                throw SlipwayException.AlreadyExists($"Experiment(name={newName}) already exists.");
            row.Name = newName;
            row.LastUpdateTime = now;
        }, ct);

    public Task SetExperimentLifecycleAsync(string experimentId, string stage, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await FindExperimentForUpdateAsync(db, experimentId, ct);
            AuditLog.Append(db, audit, stage == LifecycleStage.Deleted ? TrackingActions.ExperimentDeleted : TrackingActions.ExperimentRestored,
                AuditResources.Experiment(experimentId), ExperimentSnapshot(row), ExperimentSnapshot(row) with { LifecycleStage = stage }, now);
            row.LifecycleStage = stage;
            row.LastUpdateTime = now;
            // Runs follow their experiment, as in MLflow: deleting hides them, restoring brings them back.
            var from = stage == LifecycleStage.Deleted ? LifecycleStage.Active : LifecycleStage.Deleted;
            long? deletedTime = stage == LifecycleStage.Deleted ? now : null;
            await db.Runs.Where(r => r.ExperimentId == row.ExperimentId && r.LifecycleStage == from)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LifecycleStage, stage).SetProperty(r => r.DeletedTime, deletedTime), ct);
        }, ct);

    public Task SetExperimentTagAsync(string experimentId, Tag tag, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await FindExperimentForUpdateAsync(db, experimentId, ct);
            var existing = await db.ExperimentTags.AsTracking().FirstOrDefaultAsync(t => t.ExperimentId == row.ExperimentId && t.Key == tag.Key, ct);
            if (existing is null)
                db.ExperimentTags.Add(new ExperimentTagRow { ExperimentId = row.ExperimentId, Key = tag.Key, Value = tag.Value });
            else
                existing.Value = tag.Value;
        }, ct);

    public Task DeleteExperimentTagAsync(string experimentId, string key, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await FindExperimentForUpdateAsync(db, experimentId, ct);
            var tag = await db.ExperimentTags.FirstOrDefaultAsync(t => t.ExperimentId == row.ExperimentId && t.Key == key, ct)
                ?? throw SlipwayException.NotFound($"No tag with name: {key} in experiment with id {experimentId}");
            await db.ExperimentTags.Where(t => t.ExperimentId == row.ExperimentId && t.Key == key).ExecuteDeleteAsync(ct);
            AuditLog.Append(db, audit, TrackingActions.ExperimentTagDeleted, AuditResources.Experiment(experimentId), new Tag(tag.Key, tag.Value), null, now);
        }, ct);

    private sealed record ExperimentAuditSnapshot(string ExperimentId, string Name, string LifecycleStage);

    private static ExperimentAuditSnapshot ExperimentSnapshot(ExperimentRow row) =>
        new(row.ExperimentId.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Name, row.LifecycleStage);

    private static async Task<ExperimentRow> FindExperimentForUpdateAsync(SlipwayDbContext db, string experimentId, CancellationToken ct)
    {
        var row = TryParseId(experimentId, out var id)
            ? await db.Experiments.AsTracking().FirstOrDefaultAsync(e => e.ExperimentId == id, ct)
            : null;
        return row ?? throw SlipwayException.NotFound($"No Experiment with id={experimentId} exists");
    }

    private static async Task<Experiment> LoadExperimentAsync(SlipwayDbContext db, ExperimentRow row, CancellationToken ct)
    {
        var tags = await db.ExperimentTags.Where(t => t.ExperimentId == row.ExperimentId)
            .Select(t => new Tag(t.Key, t.Value)).ToListAsync(ct);
        return RowMapping.ToExperiment(row, tags);
    }

    internal static bool TryParseId(string value, out long id) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id);
}
