using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Storage.Audit;
using static Slipway.Storage.Security.SecurityRowMapping;

namespace Slipway.Storage.Security;

/// <summary>
/// <see cref="ISecurityStore"/> on EF Core: users here, tokens in <c>EfSecurityStore.Tokens.cs</c>, grants in
/// <c>EfSecurityStore.Permissions.cs</c>. Every change and its audit event commit in one transaction; changes the
/// contract gives no time for are stamped with the registered <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class EfSecurityStore(StoreExecutor executor, TimeProvider time) : ISecurityStore
{
    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public Task<SlipwayUser> CreateUserAsync(SlipwayUser user, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            // Checked first so the answer is a clean RESOURCE_ALREADY_EXISTS; a racing insert hits the primary key,
            // the executor re-runs this and the re-run lands here.
            if (await db.Users.AnyAsync(u => u.Name == user.Name, ct))
                throw SlipwayException.AlreadyExists($"User '{user.Name}' already exists.");
            var row = ToRow(user);
            db.Users.Add(row);
            AuditLog.Append(db, audit, SecurityAudit.UserCreated, SecurityAudit.UserResource(user.Name), null, SecurityAudit.UserDocument(row), user.CreationTime);
            return ToUser(row);
        }, ct);

    public Task<SlipwayUser?> FindUserAsync(string name, CancellationToken ct) =>
        executor.ReadAsync(async db =>
        {
            var row = await db.Users.FirstOrDefaultAsync(u => u.Name == name, ct);
            return row is null ? null : ToUser(row);
        }, ct);

    public Task<IReadOnlyList<SlipwayUser>> ListUsersAsync(CancellationToken ct) =>
        executor.ReadAsync<IReadOnlyList<SlipwayUser>>(async db =>
            (await db.Users.OrderBy(u => u.Name).ToListAsync(ct)).ConvertAll(ToUser), ct);

    public Task<int> CountUsersAsync(CancellationToken ct) =>
        executor.ReadAsync(db => db.Users.CountAsync(ct), ct);

    public Task<SlipwayUser> UpdateUserAsync(string name, UserUpdate update, long now, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            var row = await db.Users.AsTracking().FirstOrDefaultAsync(u => u.Name == name, ct) ?? throw UnknownUser(name);
            var before = SecurityAudit.UserDocument(row);
            if (update.PasswordHash is not null)
                row.PasswordHash = update.PasswordHash;
            if (update.IsAdmin is { } admin)
                row.IsAdmin = admin;
            if (update.Roles is not null)
                row.Roles = FormatRoles(update.Roles);
            row.LastUpdateTime = now;
            // The after document says that the password changed, never what it changed to.
            var after = new Dictionary<string, object?>
            {
                ["name"] = row.Name,
                ["admin"] = row.IsAdmin,
                ["roles"] = ParseRoles(row.Roles),
                ["has_password"] = row.PasswordHash is not null,
            };
            if (update.PasswordHash is not null)
                after["password_changed"] = true;
            AuditLog.Append(db, audit, SecurityAudit.UserUpdated, SecurityAudit.UserResource(name), before, after, now);
            return ToUser(row);
        }, ct);

    public Task DeleteUserAsync(string name, long now, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            var row = await db.Users.AsTracking().FirstOrDefaultAsync(u => u.Name == name, ct) ?? throw UnknownUser(name);
            var personal = await db.AccessTokens.AsTracking()
                .Where(t => t.Kind == PersonalKind && t.Subject == name && t.RevokedTime == null).ToListAsync(ct);
            foreach (var token in personal)
            {
                SecurityAudit.AppendTokenRevoked(db, audit, token, now);
                token.RevokedTime = now;
            }
            var grants = await db.Permissions.Where(p => p.UserName == name).ToListAsync(ct);
            foreach (var grant in grants)
                SecurityAudit.AppendPermissionDeleted(db, audit, grant, now);
            await db.Permissions.Where(p => p.UserName == name).ExecuteDeleteAsync(ct);
            db.Users.Remove(row);
            AuditLog.Append(db, audit, SecurityAudit.UserDeleted, SecurityAudit.UserResource(name), SecurityAudit.UserDocument(row), null, now);
        }, ct);

    public Task AppendAuditAsync(string action, string resource, object? detail, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(db =>
        {
            AuditLog.Append(db, audit, action, resource, null, detail, Now);
            return Task.CompletedTask;
        }, ct);

    private static SlipwayException UnknownUser(string name) => SlipwayException.NotFound($"User '{name}' does not exist.");
}
