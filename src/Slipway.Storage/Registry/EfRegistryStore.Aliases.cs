using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Registry.Domain;
using Slipway.Storage.ChangeFeed;
using Slipway.Storage.Rows;

namespace Slipway.Storage.Registry;

internal sealed partial class EfRegistryStore
{
    public Task SetAliasAsync(string name, string alias, long version, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var model = await FindModelForUpdateAsync(db, name, ct);
            await ApplyAliasAsync(db, model, alias, version, Now, audit, ct);
        }, ct);

    /// <summary>Points an alias of a locked model at an existing version; shared with approvals.</summary>
    private static async Task ApplyAliasAsync(SlipwayDbContext db, RegisteredModelRow model, string alias, long version, long now,
        AuditContext audit, CancellationToken ct)
    {
        await EnsureVersionExistsAsync(db, model, version, ct);
        var existing = await db.RegisteredModelAliases.AsTracking().FirstOrDefaultAsync(a => a.ModelId == model.Id && a.Alias == alias, ct);
        var before = existing is null ? null : new { existing.Version };
        if (existing is null)
            db.RegisteredModelAliases.Add(new RegisteredModelAliasRow { ModelId = model.Id, Alias = alias, Version = version });
        else
            existing.Version = version;
        await AppendEventAsync(db, audit, RegistryActions.AliasSet, AuditResources.Alias(model.Name, alias), model.Name, version,
            before, new { Version = version }, now, ct);
        db.AnnounceChange(ChangeNotice.Alias(model.Name));
    }

    public Task DeleteAliasAsync(string name, string alias, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var model = await FindModelForUpdateAsync(db, name, ct);
            var existing = await db.RegisteredModelAliases.AsTracking().FirstOrDefaultAsync(a => a.ModelId == model.Id && a.Alias == alias, ct);
            // Removing an absent alias succeeds but changes nothing, so it leaves no event (and notifies nobody).
            if (existing is null)
                return;
            db.RegisteredModelAliases.Remove(existing);
            db.AnnounceChange(ChangeNotice.Alias(name));
            await AppendEventAsync(db, audit, RegistryActions.AliasDeleted, AuditResources.Alias(name, alias), name, existing.Version,
                new { existing.Version }, null, Now, ct);
        }, ct);

    public Task<long?> ResolveAliasAsync(string name, string alias, CancellationToken ct) =>
        ReadAsync(db => db.RegisteredModelAliases
            .Where(a => a.Alias == alias && db.RegisteredModels.Any(m => m.Id == a.ModelId && m.Name == name))
            .Select(a => (long?)a.Version)
            .FirstOrDefaultAsync(ct), ct);
}
