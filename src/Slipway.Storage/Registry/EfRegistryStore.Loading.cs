using Microsoft.EntityFrameworkCore;
using Slipway.Registry.Domain;
using Slipway.Storage.Rows;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Registry;

internal sealed partial class EfRegistryStore
{
    private static async Task<RegisteredModel> LoadModelAsync(SlipwayDbContext db, RegisteredModelRow row, CancellationToken ct) =>
        (await LoadModelsAsync(db, [row], ct))[0];

    /// <summary>
    /// Models with their tags, aliases and latest versions. The latest versions come from one grouped query
    /// (model, stage → highest version) joined back to the versions, so only those rows are read however many
    /// versions a model has.
    /// </summary>
    private static async Task<List<RegisteredModel>> LoadModelsAsync(SlipwayDbContext db, IReadOnlyList<RegisteredModelRow> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var tags = (await db.RegisteredModelTags.Where(t => ids.Contains(t.ModelId)).OrderBy(t => t.Key).ToListAsync(ct))
            .ToLookup(t => t.ModelId, t => new Tag(t.Key, t.Value));
        var aliases = (await db.RegisteredModelAliases.Where(a => ids.Contains(a.ModelId)).OrderBy(a => a.Alias).ToListAsync(ct))
            .ToLookup(a => a.ModelId, a => new ModelAlias(a.Alias, a.Version));
        var latest = db.ModelVersions.Where(v => ids.Contains(v.ModelId))
            .GroupBy(v => new { v.ModelId, v.CurrentStage })
            .Select(g => new { g.Key.ModelId, Version = g.Max(v => v.Version) });
        var versions = await db.ModelVersions
            .Join(latest, v => new { v.ModelId, v.Version }, l => new { l.ModelId, l.Version }, (v, l) => v)
            .OrderBy(v => v.ModelId).ThenBy(v => v.Version)
            .ToListAsync(ct);
        var versionTags = (await db.ModelVersionTags
            .Join(latest, t => new { t.ModelId, t.Version }, l => new { l.ModelId, l.Version }, (t, l) => t)
            .OrderBy(t => t.Key)
            .ToListAsync(ct))
            .ToLookup(t => (t.ModelId, t.Version), t => new Tag(t.Key, t.Value));
        var names = rows.ToDictionary(r => r.Id, r => r.Name);
        // MLflow leaves the aliases of a registered model's latest_versions empty; they are listed on the model.
        var latestByModel = versions.ToLookup(
            v => v.ModelId,
            v => RegistryRowMapping.ToModelVersion(v, names[v.ModelId], versionTags[(v.ModelId, v.Version)].ToList(), []));
        return rows.Select(r => RegistryRowMapping.ToRegisteredModel(r, tags[r.Id].ToList(), aliases[r.Id].ToList(), latestByModel[r.Id].ToList())).ToList();
    }

    /// <summary>Versions with their tags and the aliases that point at them.</summary>
    private static async Task<List<ModelVersion>> LoadVersionsAsync(SlipwayDbContext db, IReadOnlyList<(ModelVersionRow Row, string Name)> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
            return [];
        var modelIds = rows.Select(r => r.Row.ModelId).Distinct().ToList();
        var numbers = rows.Select(r => r.Row.Version).Distinct().ToList();
        // Filtering on both lists may read a few extra rows (a number of one model with the id of another); the
        // exact pairs are picked below.
        var tags = (await db.ModelVersionTags.Where(t => modelIds.Contains(t.ModelId) && numbers.Contains(t.Version)).OrderBy(t => t.Key).ToListAsync(ct))
            .ToLookup(t => (t.ModelId, t.Version), t => new Tag(t.Key, t.Value));
        var aliases = (await db.RegisteredModelAliases.Where(a => modelIds.Contains(a.ModelId) && numbers.Contains(a.Version)).OrderBy(a => a.Alias).ToListAsync(ct))
            .ToLookup(a => (a.ModelId, a.Version), a => a.Alias);
        return rows.Select(r =>
        {
            var key = (r.Row.ModelId, r.Row.Version);
            return RegistryRowMapping.ToModelVersion(r.Row, r.Name, tags[key].ToList(), aliases[key].ToList());
        }).ToList();
    }

    private static async Task<ModelVersion> LoadVersionAsync(SlipwayDbContext db, ModelVersionRow row, string name, CancellationToken ct) =>
        (await LoadVersionsAsync(db, [(row, name)], ct))[0];
}
