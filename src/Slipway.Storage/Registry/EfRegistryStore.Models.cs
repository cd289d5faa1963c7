using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Registry.Domain;
using Slipway.Storage.ChangeFeed;
using Slipway.Storage.Rows;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Registry;

internal sealed partial class EfRegistryStore
{
    public Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description, IReadOnlyList<Tag> tags, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            // Checked inside the transaction; a concurrent creator that wins the unique index makes the retry land here.
            if (await db.RegisteredModels.AnyAsync(m => m.Name == name, ct))
                throw RegistryErrors.ModelExists(name);
            var row = new RegisteredModelRow { Name = name, Description = description, CreationTime = now, LastUpdatedTime = now };
            db.RegisteredModels.Add(row);
            await db.SaveChangesAsync(ct);
            var distinctTags = tags.GroupBy(t => t.Key, StringComparer.Ordinal).Select(g => g.Last()).ToList();
            foreach (var tag in distinctTags)
                db.RegisteredModelTags.Add(new RegisteredModelTagRow { ModelId = row.Id, Key = tag.Key, Value = tag.Value });
            await AppendEventAsync(db, audit, RegistryActions.ModelCreated, AuditResources.Model(name), name, null,
                null, new { Name = name, Description = description, Tags = TagMap(distinctTags) }, now, ct);
            return RegistryRowMapping.ToRegisteredModel(row, distinctTags.OrderBy(t => t.Key, StringComparer.Ordinal).ToList(), [], []);
        }, ct);

    public Task<RegisteredModel?> GetRegisteredModelAsync(string name, CancellationToken ct) =>
        ReadAsync(async db =>
        {
            var row = await db.RegisteredModels.FirstOrDefaultAsync(m => m.Name == name, ct);
            return row is null ? null : await LoadModelAsync(db, row, ct);
        }, ct);

    public Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await FindModelForUpdateAsync(db, name, ct);
            if (newName != name && await db.RegisteredModels.AnyAsync(m => m.Name == newName, ct))
                throw RegistryErrors.ModelExists(newName);
            row.Name = newName;
            db.AnnounceChange(ChangeNotice.Alias(name));
            row.LastUpdatedTime = now;
            // MLflow stamps every version of a renamed model.
            await db.ModelVersions.Where(v => v.ModelId == row.Id).ExecuteUpdateAsync(s => s.SetProperty(v => v.LastUpdatedTime, now), ct);
            await AppendEventAsync(db, audit, RegistryActions.ModelRenamed, AuditResources.Model(newName), newName, null,
                new { Name = name }, new { Name = newName }, now, ct);
            await db.SaveChangesAsync(ct);
            return await LoadModelAsync(db, row, ct);
        }, ct);

    public Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await FindModelForUpdateAsync(db, name, ct);
            var before = new { Description = row.Description };
            row.Description = description;
            row.LastUpdatedTime = now;
            await AppendEventAsync(db, audit, RegistryActions.ModelUpdated, AuditResources.Model(name), name, null,
                before, new { Description = description }, now, ct);
            await db.SaveChangesAsync(ct);
            return await LoadModelAsync(db, row, ct);
        }, ct);

    public Task DeleteRegisteredModelAsync(string name, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await FindModelForUpdateAsync(db, name, ct);
            var id = row.Id;
            var versions = await db.ModelVersions.CountAsync(v => v.ModelId == id, ct);
            var requests = db.ApprovalRequests.Where(r => r.ModelId == id).Select(r => r.Id);
            await db.ApprovalDecisions.Where(d => requests.Contains(d.RequestId)).ExecuteDeleteAsync(ct);
            await db.ApprovalRequests.Where(r => r.ModelId == id).ExecuteDeleteAsync(ct);
            await db.ModelCards.Where(c => c.ModelId == id).ExecuteDeleteAsync(ct);
            await db.ModelVersionTags.Where(t => t.ModelId == id).ExecuteDeleteAsync(ct);
            await db.ModelVersions.Where(v => v.ModelId == id).ExecuteDeleteAsync(ct);
            await db.RegisteredModelAliases.Where(a => a.ModelId == id).ExecuteDeleteAsync(ct);
            db.AnnounceChange(ChangeNotice.Alias(name));
            await db.RegisteredModelTags.Where(t => t.ModelId == id).ExecuteDeleteAsync(ct);
            db.RegisteredModels.Remove(row);
            // Audit events stay: the trail outlives what it describes.
            await AppendEventAsync(db, audit, RegistryActions.ModelDeleted, AuditResources.Model(name), name, null,
                new { Name = name, row.Description, Versions = versions }, null, Now, ct);
        }, ct);

    public Task SetRegisteredModelTagAsync(string name, Tag tag, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var model = await FindModelForUpdateAsync(db, name, ct);
            var existing = await db.RegisteredModelTags.AsTracking().FirstOrDefaultAsync(t => t.ModelId == model.Id && t.Key == tag.Key, ct);
            var before = existing is null ? null : new { existing.Key, existing.Value };
            if (existing is null)
                db.RegisteredModelTags.Add(new RegisteredModelTagRow { ModelId = model.Id, Key = tag.Key, Value = tag.Value });
            else
                existing.Value = tag.Value;
            await AppendEventAsync(db, audit, RegistryActions.ModelTagSet, AuditResources.Model(name), name, null,
                before, new { tag.Key, tag.Value }, Now, ct);
        }, ct);

    public Task DeleteRegisteredModelTagAsync(string name, string key, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var model = await FindModelForUpdateAsync(db, name, ct);
            var existing = await db.RegisteredModelTags.AsTracking().FirstOrDefaultAsync(t => t.ModelId == model.Id && t.Key == key, ct);
            // Deleting an absent tag succeeds (MLflow answers 200) but changes nothing, so it leaves no event.
            if (existing is null)
                return;
            db.RegisteredModelTags.Remove(existing);
            await AppendEventAsync(db, audit, RegistryActions.ModelTagDeleted, AuditResources.Model(name), name, null,
                new { existing.Key, existing.Value }, null, Now, ct);
        }, ct);

    private static Dictionary<string, string> TagMap(IEnumerable<Tag> tags) =>
        tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
}
