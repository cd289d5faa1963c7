using Slipway.Core.Audit;

namespace Slipway.Core.Security;

/// <summary>A user who can sign in. <see cref="PasswordHash"/> is null for users who sign in only with tokens or
/// single sign-on. <see cref="Roles"/> are role names such as <c>approver</c>; admin is a flag of its own.</summary>
public sealed record SlipwayUser(
    string Name,
    string? PasswordHash,
    bool IsAdmin,
    IReadOnlyList<string> Roles,
    long CreationTime,
    long LastUpdateTime);

public enum TokenKind
{
    /// <summary>A personal access token: acts as its user on every API.</summary>
    Personal,

    /// <summary>An endpoint token: opens one serving endpoint's inference routes and nothing else.</summary>
    Endpoint,
}

/// <summary>
/// An access token as stored: only the SHA-256 of the secret (<see cref="Hash"/>, lower-case hex) is kept; the
/// secret is shown once, when it is created. <see cref="Subject"/> is the user (personal) or endpoint name.
/// <see cref="Prefix"/> is the secret's first characters, to tell tokens apart in lists.
/// </summary>
public sealed record AccessToken(
    string Id,
    TokenKind Kind,
    string Subject,
    string Name,
    string Prefix,
    string Hash,
    long CreationTime,
    long? ExpiryTime,
    long? RevokedTime,
    long? LastUsedTime,
    string CreatedBy)
{
    public bool IsActive(long now) => RevokedTime is null && (ExpiryTime is null || ExpiryTime > now);
}

/// <summary>One user's permission on one resource.</summary>
public sealed record PermissionGrant(ResourceKind Kind, string Key, string User, PermissionLevel Level);

/// <summary>The changes of an update; null leaves a field as it is.</summary>
public sealed record UserUpdate(string? PasswordHash = null, bool? IsAdmin = null, IReadOnlyList<string>? Roles = null);

/// <summary>
/// Users, access tokens and permission grants. Every change is audited in its own transaction (actions
/// <c>user.created</c>, <c>user.updated</c>, <c>user.deleted</c>, <c>token.created</c>, <c>token.revoked</c>,
/// <c>permission.set</c>, <c>permission.deleted</c>), and no audit event ever holds a password hash or token hash.
/// Times are Unix milliseconds.
/// </summary>
public interface ISecurityStore
{
    /// <summary>Throws RESOURCE_ALREADY_EXISTS when the name is taken.</summary>
    Task<SlipwayUser> CreateUserAsync(SlipwayUser user, AuditContext audit, CancellationToken ct);

    Task<SlipwayUser?> FindUserAsync(string name, CancellationToken ct);

    Task<IReadOnlyList<SlipwayUser>> ListUsersAsync(CancellationToken ct);

    Task<int> CountUsersAsync(CancellationToken ct);

    /// <summary>Throws RESOURCE_DOES_NOT_EXIST for an unknown user.</summary>
    Task<SlipwayUser> UpdateUserAsync(string name, UserUpdate update, long now, AuditContext audit, CancellationToken ct);

    /// <summary>Deletes the user, revokes their personal tokens and drops their grants, in one transaction.</summary>
    Task DeleteUserAsync(string name, long now, AuditContext audit, CancellationToken ct);

    Task<AccessToken> CreateTokenAsync(AccessToken token, AuditContext audit, CancellationToken ct);

    Task<AccessToken?> FindTokenByHashAsync(string hash, CancellationToken ct);

    Task<AccessToken?> GetTokenAsync(string id, CancellationToken ct);

    /// <summary>Tokens of one kind and subject (null: all), newest first, revoked ones included.</summary>
    Task<IReadOnlyList<AccessToken>> ListTokensAsync(TokenKind? kind, string? subject, CancellationToken ct);

    /// <summary>Revokes a token (idempotent: a revoked token keeps its first revocation time).</summary>
    Task<AccessToken> RevokeTokenAsync(string id, long now, AuditContext audit, CancellationToken ct);

    /// <summary>Records that a token was used (not audited; callers throttle it).</summary>
    Task TouchTokenAsync(string id, long now, CancellationToken ct);

    /// <summary>Whether the endpoint has a token that is not revoked (expired ones count, so expiry never silently
    /// opens an endpoint); such an endpoint accepts only its own tokens for inference.</summary>
    Task<bool> EndpointRequiresTokenAsync(string endpoint, CancellationToken ct);

    /// <summary>Sets (creates or replaces) a grant; <see cref="PermissionLevel.None"/> is stored as an explicit denial
    /// that overrides the default.</summary>
    Task<PermissionGrant> SetPermissionAsync(PermissionGrant grant, AuditContext audit, CancellationToken ct);

    /// <summary>Throws RESOURCE_DOES_NOT_EXIST when there is no such grant.</summary>
    Task DeletePermissionAsync(ResourceRef resource, string user, AuditContext audit, CancellationToken ct);

    Task<PermissionGrant?> GetPermissionAsync(ResourceRef resource, string user, CancellationToken ct);

    /// <summary>Grants filtered by resource kind, resource key and user (each null: any).</summary>
    Task<IReadOnlyList<PermissionGrant>> ListPermissionsAsync(ResourceKind? kind, string? key, string? user, CancellationToken ct);

    /// <summary>Drops every grant on a resource (audited as one <c>permission.deleted</c> per grant).</summary>
    Task ForgetResourceAsync(ResourceRef resource, AuditContext audit, CancellationToken ct);

    /// <summary>Moves every grant on a resource to a new key.</summary>
    Task RenameResourceAsync(ResourceRef resource, string newKey, AuditContext audit, CancellationToken ct);

    /// <summary>Appends an audit event that is not a stored change (<c>auth.signin</c>, <c>auth.signin_failed</c>,
    /// <c>auth.throttled</c>); <paramref name="detail"/> is serialized as the event's <c>after</c> document.</summary>
    Task AppendAuditAsync(string action, string resource, object? detail, AuditContext audit, CancellationToken ct);
}
