namespace Slipway.Storage.Security;

// Rows of the security tables. Domain records (Slipway.Core.Security) are mapped to and from these in
// SecurityRowMapping, so the column layout can change without touching the contracts.

/// <summary>A user; <see cref="Roles"/> is a JSON array of role names.</summary>
public sealed class UserRow
{
    public string Name { get; set; } = "";
    public string? PasswordHash { get; set; }
    public bool IsAdmin { get; set; }
    public string Roles { get; set; } = "[]";
    public long CreationTime { get; set; }
    public long LastUpdateTime { get; set; }
}

/// <summary>An access token; only the SHA-256 of its secret is kept (<see cref="Hash"/>, unique).</summary>
public sealed class AccessTokenRow
{
    public string Id { get; set; } = "";
    /// <summary><c>personal</c> or <c>endpoint</c>.</summary>
    public string Kind { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Name { get; set; } = "";
    public string Prefix { get; set; } = "";
    public string Hash { get; set; } = "";
    public long CreationTime { get; set; }
    public long? ExpiryTime { get; set; }
    public long? RevokedTime { get; set; }
    public long? LastUsedTime { get; set; }
    public string CreatedBy { get; set; } = "";
}

/// <summary>One user's grant on one resource; <see cref="ResourceKind"/> is the wire name (<c>experiments</c>, …) and
/// <see cref="Level"/> the permission's wire name (<c>READ</c>, <c>EDIT</c>, <c>MANAGE</c>, <c>NO_PERMISSIONS</c>).</summary>
public sealed class PermissionRow
{
    public string ResourceKind { get; set; } = "";
    public string ResourceKey { get; set; } = "";
    public string UserName { get; set; } = "";
    public string Level { get; set; } = "";
}
