using System.Security.Claims;

namespace Slipway.Core.Security;

/// <summary>
/// Decides what a user may do with a resource. Registered by the security module; when authentication is off
/// (<see cref="Enabled"/> false) every check passes, so the server behaves as a single-user tool on loopback.
/// Admins hold MANAGE on everything; others hold the highest of their own grant and the configured default.
/// </summary>
public interface IAccessControl
{
    bool Enabled { get; }

    /// <summary>The user's level on the resource (MANAGE for admins and when access control is off).</summary>
    ValueTask<PermissionLevel> LevelAsync(ClaimsPrincipal user, ResourceRef resource, CancellationToken ct);

    /// <summary>Throws PERMISSION_DENIED (403) unless the user holds at least <paramref name="level"/> on the resource.</summary>
    ValueTask DemandAsync(ClaimsPrincipal user, ResourceRef resource, PermissionLevel level, CancellationToken ct);

    /// <summary>A test for list filtering: which keys of <paramref name="kind"/> the user may read (all, when off).</summary>
    ValueTask<Func<string, bool>> ReadableAsync(ClaimsPrincipal user, ResourceKind kind, CancellationToken ct);

    /// <summary>Records that the user created the resource: the creator gets MANAGE. Does nothing when off or anonymous.</summary>
    Task GrantCreatorAsync(ClaimsPrincipal user, ResourceRef resource, CancellationToken ct);

    /// <summary>Drops every grant on a resource that was deleted (and a deleted endpoint's tokens), so a new one with the
    /// same name starts clean.</summary>
    Task ForgetAsync(ResourceRef resource, CancellationToken ct);

    /// <summary>Moves the grants of a renamed resource to its new key.</summary>
    Task RenameAsync(ResourceRef resource, string newKey, CancellationToken ct);

    /// <summary>Whether the signed-in user holds the named role (admins hold every role). Always false when access
    /// control is off: callers then fall back to their configured role lists (the registry's <c>Roles</c>).</summary>
    bool HasRole(ClaimsPrincipal user, string role);
}
