using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Errors;
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

    public Task SetExperimentLifecycleAsync(string experimentId, string stage, long now, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await FindExperimentForUpdateAsync(db, experimentId, ct);
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

    public Task DeleteExperimentTagAsync(string experimentId, string key, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await FindExperimentForUpdateAsync(db, experimentId, ct);
            var deleted = await db.ExperimentTags.Where(t => t.ExperimentId == row.ExperimentId && t.Key == key).ExecuteDeleteAsync(ct);
            if (deleted == 0)
                throw SlipwayException.NotFound($"No tag with name: {key} in experiment with id {experimentId}");
        }, ct);

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
