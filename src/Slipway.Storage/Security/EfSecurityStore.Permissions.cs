using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Storage.Audit;
using static Slipway.Storage.Security.SecurityRowMapping;

namespace Slipway.Storage.Security;

// Permission grants: one row per (resource kind, resource key, user); NO_PERMISSIONS rows are explicit denials.
internal sealed partial class EfSecurityStore
{
    public Task<PermissionGrant> SetPermissionAsync(PermissionGrant grant, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            var wanted = ToRow(grant);
            var row = await FindGrant(db.Permissions.AsTracking(), wanted.ResourceKind, wanted.ResourceKey, wanted.UserName).FirstOrDefaultAsync(ct);
            var before = row is null ? null : SecurityAudit.PermissionDocument(row);
            if (row is null)
            {
                row = wanted;
                db.Permissions.Add(row);
            }
            row.Level = wanted.Level;
            AuditLog.Append(db, audit, SecurityAudit.PermissionSet, SecurityAudit.PermissionResource(row.ResourceKind, row.ResourceKey, row.UserName),
                before, SecurityAudit.PermissionDocument(row), Now);
            return ToGrant(row);
        }, ct);

    public Task DeletePermissionAsync(ResourceRef resource, string user, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            var kind = ResourceKinds.Format(resource.Kind);
            var row = await FindGrant(db.Permissions.AsTracking(), kind, resource.Key, user).FirstOrDefaultAsync(ct)
                ?? throw SlipwayException.NotFound($"User '{user}' has no permission on {resource}.");
            db.Permissions.Remove(row);
            SecurityAudit.AppendPermissionDeleted(db, audit, row, Now);
        }, ct);

    public Task<PermissionGrant?> GetPermissionAsync(ResourceRef resource, string user, CancellationToken ct) =>
        executor.ReadAsync(async db =>
        {
            var row = await FindGrant(db.Permissions, ResourceKinds.Format(resource.Kind), resource.Key, user).FirstOrDefaultAsync(ct);
            return row is null ? null : ToGrant(row);
        }, ct);

    public Task<IReadOnlyList<PermissionGrant>> ListPermissionsAsync(ResourceKind? kind, string? key, string? user, CancellationToken ct) =>
        executor.ReadAsync<IReadOnlyList<PermissionGrant>>(async db =>
        {
            var query = db.Permissions.AsQueryable();
            if (kind is { } k)
            {
                var stored = ResourceKinds.Format(k);
                query = query.Where(p => p.ResourceKind == stored);
            }
            if (key is not null)
                query = query.Where(p => p.ResourceKey == key);
            if (user is not null)
                query = query.Where(p => p.UserName == user);
            var rows = await query.OrderBy(p => p.ResourceKind).ThenBy(p => p.ResourceKey).ThenBy(p => p.UserName).ToListAsync(ct);
            return rows.ConvertAll(ToGrant);
        }, ct);

    public Task ForgetResourceAsync(ResourceRef resource, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(db => ForgetGrantsAsync(db, ResourceKinds.Format(resource.Kind), resource.Key, audit, Now, ct), ct);

    public Task RenameResourceAsync(ResourceRef resource, string newKey, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            var kind = ResourceKinds.Format(resource.Kind);
            if (resource.Key == newKey)
                return;
            var moving = await db.Permissions.Where(p => p.ResourceKind == kind && p.ResourceKey == resource.Key).ToListAsync(ct);
            if (moving.Count == 0)
                return;
            // The key is part of the primary key, so each grant is re-inserted; grants left on the new key by an
            // earlier resource of that name (not forgotten) give way to the renamed resource's own.
            var users = moving.ConvertAll(p => p.UserName);
            await db.Permissions.Where(p => p.ResourceKind == kind && p.ResourceKey == newKey && users.Contains(p.UserName)).ExecuteDeleteAsync(ct);
            await db.Permissions.Where(p => p.ResourceKind == kind && p.ResourceKey == resource.Key).ExecuteDeleteAsync(ct);
            var now = Now;
            foreach (var old in moving)
            {
                var moved = new PermissionRow { ResourceKind = kind, ResourceKey = newKey, UserName = old.UserName, Level = old.Level };
                db.Permissions.Add(moved);
                AuditLog.Append(db, audit, SecurityAudit.PermissionSet, SecurityAudit.PermissionResource(kind, newKey, old.UserName),
                    SecurityAudit.PermissionDocument(old), SecurityAudit.PermissionDocument(moved), now);
            }
        }, ct);

    /// <summary>Drops every grant on one resource, one <c>permission.deleted</c> event each, in the caller's transaction
    /// (the garbage collector's experiment purge calls it so a purged experiment's grants go with it).</summary>
    internal static async Task ForgetGrantsAsync(SlipwayDbContext db, string kind, string key, AuditContext audit, long now, CancellationToken ct)
    {
        var grants = await db.Permissions.Where(p => p.ResourceKind == kind && p.ResourceKey == key).ToListAsync(ct);
        if (grants.Count == 0)
            return;
        foreach (var grant in grants)
            SecurityAudit.AppendPermissionDeleted(db, audit, grant, now);
        await db.Permissions.Where(p => p.ResourceKind == kind && p.ResourceKey == key).ExecuteDeleteAsync(ct);
    }

    private static IQueryable<PermissionRow> FindGrant(IQueryable<PermissionRow> rows, string kind, string key, string user) =>
        rows.Where(p => p.ResourceKind == kind && p.ResourceKey == key && p.UserName == user);
}
