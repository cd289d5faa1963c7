using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Registry.Domain;
using Slipway.Storage.ChangeFeed;
using Slipway.Storage.Rows;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Registry;

internal sealed partial class EfRegistryStore
{
    private const string ReadyStatus = "READY";

    public Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var model = await FindModelForUpdateAsync(db, version.Name, ct);
            await LockSourceRunsAsync(db, version, ct);
            model.LastVersion++;
            model.LastUpdatedTime = now;
            var row = new ModelVersionRow
            {
                ModelId = model.Id,
                Version = model.LastVersion,
                CreationTime = now,
                LastUpdatedTime = now,
                Description = version.Description ?? "",
                UserId = version.UserId,
                CurrentStage = ModelStages.None,
                Source = version.Source,
                RunId = version.RunId,
                RunLink = version.RunLink ?? "",
                Status = ReadyStatus,
            };
            db.ModelVersions.Add(row);
            var tags = version.Tags.GroupBy(t => t.Key, StringComparer.Ordinal).Select(g => g.Last()).OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
            foreach (var tag in tags)
                db.ModelVersionTags.Add(new ModelVersionTagRow { ModelId = model.Id, Version = row.Version, Key = tag.Key, Value = tag.Value });
            await AppendEventAsync(db, audit, RegistryActions.VersionCreated, AuditResources.ModelVersion(model.Name, row.Version), model.Name, row.Version,
                null, RegistryRowMapping.VersionSnapshot(row), now, ct);
            return RegistryRowMapping.ToModelVersion(row, model.Name, tags, []);
        }, ct);

    /// <summary>
    /// On PostgreSQL, holds FOR SHARE on the runs the new version points at (its run id, and any run id in its source)
    /// until commit, so <c>slipway gc</c>, which locks a run FOR UPDATE before checking for versions, either sees this
    /// version or purges the run before it exists. SQLite serializes writers already.
    /// </summary>
    private async Task LockSourceRunsAsync(SlipwayDbContext db, NewModelVersion version, CancellationToken ct)
    {
        if (IsSqlite)
            return;
        var runIds = RunIdPattern().Matches(version.Source).Select(m => m.Value).Append(version.RunId ?? "").Where(id => id.Length > 0).Distinct().ToArray();
        if (runIds.Length > 0)
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM runs WHERE run_uuid = ANY({runIds}) FOR SHARE", ct);
    }

    [System.Text.RegularExpressions.GeneratedRegex("[0-9a-f]{32}", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex RunIdPattern();

    public Task<ModelVersion?> GetModelVersionAsync(string name, long version, CancellationToken ct) =>
        ReadAsync(async db =>
        {
            var row = await db.ModelVersions
                .Where(v => v.Version == version && db.RegisteredModels.Any(m => m.Id == v.ModelId && m.Name == name))
                .FirstOrDefaultAsync(ct);
            return row is null ? null : await LoadVersionAsync(db, row, name, ct);
        }, ct);

    public Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string? description, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var model = await FindModelForUpdateAsync(db, name, ct);
            var row = await FindVersionForUpdateAsync(db, model, version, ct);
            var before = new { row.Description };
            row.Description = description ?? "";
            row.LastUpdatedTime = now;
            await AppendEventAsync(db, audit, RegistryActions.VersionUpdated, AuditResources.ModelVersion(name, version), name, version,
                before, new { row.Description }, now, ct);
            await db.SaveChangesAsync(ct);
            return await LoadVersionAsync(db, row, name, ct);
        }, ct);

    public Task<ModelVersion> TransitionStageAsync(string name, long version, string stage, bool archiveExisting, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var model = await FindModelForUpdateAsync(db, name, ct);
            var row = await ApplyStageAsync(db, model, version, stage, archiveExisting, now, audit, ct);
            await db.SaveChangesAsync(ct);
            return await LoadVersionAsync(db, row, name, ct);
        }, ct);

    /// <summary>
    /// A stage transition on a locked model, shared with approvals: with <paramref name="archiveExisting"/> the other
    /// versions in a Staging or Production target stage move to Archived; the model's last update moves too.
    /// </summary>
    private static async Task<ModelVersionRow> ApplyStageAsync(SlipwayDbContext db, RegisteredModelRow model, long version, string stage,
        bool archiveExisting, long now, AuditContext audit, CancellationToken ct)
    {
        var row = await FindVersionForUpdateAsync(db, model, version, ct);
        var before = new { row.CurrentStage };
        List<long>? archived = null;
        if (archiveExisting && stage is ModelStages.Staging or ModelStages.Production)
        {
            var others = await db.ModelVersions.AsTracking()
                .Where(v => v.ModelId == model.Id && v.Version != version && v.CurrentStage == stage)
                .OrderBy(v => v.Version)
                .ToListAsync(ct);
            foreach (var other in others)
            {
                other.CurrentStage = ModelStages.Archived;
                other.LastUpdatedTime = now;
            }
            archived = others.ConvertAll(o => o.Version);
        }
        row.CurrentStage = stage;
        row.LastUpdatedTime = now;
        model.LastUpdatedTime = now;
        await AppendEventAsync(db, audit, RegistryActions.VersionStageChanged, AuditResources.ModelVersion(model.Name, version), model.Name, version,
            before, new { row.CurrentStage, ArchivedVersions = archived is { Count: > 0 } ? archived : null }, now, ct);
        return row;
    }

    public Task DeleteModelVersionAsync(string name, long version, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var model = await FindModelForUpdateAsync(db, name, ct);
            var row = await FindVersionForUpdateAsync(db, model, version, ct);
            var modelId = model.Id;
            await db.ModelVersionTags.Where(t => t.ModelId == modelId && t.Version == version).ExecuteDeleteAsync(ct);
            await db.RegisteredModelAliases.Where(a => a.ModelId == modelId && a.Version == version).ExecuteDeleteAsync(ct);
            db.AnnounceChange(ChangeNotice.Alias(name));
            await db.ModelCards.Where(c => c.ModelId == modelId && c.Version == version).ExecuteDeleteAsync(ct);
            db.ModelVersions.Remove(row);
            model.LastUpdatedTime = now;
            await AppendEventAsync(db, audit, RegistryActions.VersionDeleted, AuditResources.ModelVersion(name, version), name, version,
                RegistryRowMapping.VersionSnapshot(row), null, now, ct);
        }, ct);

    public Task SetModelVersionTagAsync(string name, long version, Tag tag, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var model = await FindModelForUpdateAsync(db, name, ct);
            await EnsureVersionExistsAsync(db, model, version, ct);
            var existing = await db.ModelVersionTags.AsTracking()
                .FirstOrDefaultAsync(t => t.ModelId == model.Id && t.Version == version && t.Key == tag.Key, ct);
            var before = existing is null ? null : new { existing.Key, existing.Value };
            if (existing is null)
                db.ModelVersionTags.Add(new ModelVersionTagRow { ModelId = model.Id, Version = version, Key = tag.Key, Value = tag.Value });
            else
                existing.Value = tag.Value;
            await AppendEventAsync(db, audit, RegistryActions.VersionTagSet, AuditResources.ModelVersion(name, version), name, version,
                before, new { tag.Key, tag.Value }, Now, ct);
        }, ct);

    public Task DeleteModelVersionTagAsync(string name, long version, string key, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var model = await FindModelForUpdateAsync(db, name, ct);
            await EnsureVersionExistsAsync(db, model, version, ct);
            var existing = await db.ModelVersionTags.AsTracking()
                .FirstOrDefaultAsync(t => t.ModelId == model.Id && t.Version == version && t.Key == key, ct);
            if (existing is null)
                return;
            db.ModelVersionTags.Remove(existing);
            await AppendEventAsync(db, audit, RegistryActions.VersionTagDeleted, AuditResources.ModelVersion(name, version), name, version,
                new { existing.Key, existing.Value }, null, Now, ct);
        }, ct);

    public Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<string> stages, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<ModelVersion>>(async db =>
        {
            var model = await db.RegisteredModels.FirstOrDefaultAsync(m => m.Name == name, ct) ?? throw RegistryErrors.ModelNotFound(name);
            var wanted = (stages.Count == 0 ? ModelStages.All : stages).Distinct().ToList();
            var latest = db.ModelVersions.Where(v => v.ModelId == model.Id && wanted.Contains(v.CurrentStage))
                .GroupBy(v => v.CurrentStage)
                .Select(g => g.Max(v => v.Version));
            var rows = await db.ModelVersions.Where(v => v.ModelId == model.Id && latest.Contains(v.Version))
                .OrderBy(v => v.Version)
                .ToListAsync(ct);
            return await LoadVersionsAsync(db, rows.ConvertAll(r => (r, model.Name)), ct);
        }, ct);
}
