using Slipway.Core.Audit;
using Slipway.Core.Security;
using Slipway.Storage.Audit;

namespace Slipway.Storage.Security;

/// <summary>
/// The audit actions and resource paths of the security store, and the documents it records. The documents are
/// built here from chosen fields only, never from a whole row, so a password hash or token hash cannot slip in.
/// Paths sit under the resource they concern (<c>users/alice/tokens/tok_…</c>, <c>experiments/7/permissions/alice</c>),
/// so an audit query for a user or a resource also finds them.
/// </summary>
internal static class SecurityAudit
{
    public const string UserCreated = "user.created";
    public const string UserUpdated = "user.updated";
    public const string UserDeleted = "user.deleted";
    public const string TokenCreated = "token.created";
    public const string TokenRevoked = "token.revoked";
    public const string PermissionSet = "permission.set";
    public const string PermissionDeleted = "permission.deleted";

    public static string UserResource(string name) => "users/" + name;

    public static string TokenResource(AccessTokenRow token) =>
        (token.Kind == SecurityRowMapping.EndpointKind ? "endpoints/" : "users/") + token.Subject + "/tokens/" + token.Id;

    public static string PermissionResource(string kind, string key, string user) => $"{kind}/{key}/permissions/{user}";

    public static object UserDocument(UserRow row) => new
    {
        name = row.Name,
        admin = row.IsAdmin,
        roles = SecurityRowMapping.ParseRoles(row.Roles),
        has_password = row.PasswordHash is not null,
    };

    public static object TokenDocument(AccessTokenRow row) => new
    {
        id = row.Id,
        kind = row.Kind,
        subject = row.Subject,
        name = row.Name,
        prefix = row.Prefix,
        expiry_time = row.ExpiryTime,
        revoked_time = row.RevokedTime,
        created_by = row.CreatedBy,
    };

    public static object PermissionDocument(PermissionRow row) => new
    {
        resource_type = row.ResourceKind,
        resource = row.ResourceKey,
        user = row.UserName,
        permission = row.Level,
    };

    public static void AppendPermissionDeleted(SlipwayDbContext db, AuditContext audit, PermissionRow row, long now) =>
        AuditLog.Append(db, audit, PermissionDeleted, PermissionResource(row.ResourceKind, row.ResourceKey, row.UserName),
            PermissionDocument(row), null, now);

    public static void AppendTokenRevoked(SlipwayDbContext db, AuditContext audit, AccessTokenRow before, long now) =>
        AuditLog.Append(db, audit, TokenRevoked, TokenResource(before), TokenDocument(before), TokenDocument(Revoked(before, now)), now);

    /// <summary>A copy of the row as it reads once revoked (for the audit's after document).</summary>
    public static AccessTokenRow Revoked(AccessTokenRow row, long now) => new()
    {
        Id = row.Id, Kind = row.Kind, Subject = row.Subject, Name = row.Name, Prefix = row.Prefix, Hash = row.Hash,
        CreationTime = row.CreationTime, ExpiryTime = row.ExpiryTime, RevokedTime = row.RevokedTime ?? now,
        LastUsedTime = row.LastUsedTime, CreatedBy = row.CreatedBy,
    };
}
