using System.Security.Claims;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Security;

namespace Slipway.Security.Accounts;

// Per-resource grants. The resource is not looked up: a grant may be given ahead of the resource (a model about to
// be registered) and is dropped when the resource is deleted. The user is not looked up either, since users who sign
// in through an identity provider have no row until then.
public sealed partial class AccountService
{
    /// <summary>Sets a user's level on a resource (MANAGE on it, or an administrator); NO_PERMISSIONS is an explicit denial.</summary>
    public async Task<PermissionGrant> SetPermissionAsync(
        ClaimsPrincipal caller, string? resourceType, string? resource, string? user, string? permission, AuditContext audit, CancellationToken ct)
    {
        var target = Resource(resourceType, resource);
        var userName = AccountRules.UserName(user, "user");
        if (!PermissionLevels.TryParse(permission, out var level))
            throw SlipwayException.InvalidParameter($"Invalid permission '{permission}': use READ, EDIT, MANAGE or NO_PERMISSIONS.");
        await access.DemandAsync(caller, target, PermissionLevel.Manage, ct);
        var grant = await store.SetPermissionAsync(new PermissionGrant(target.Kind, target.Key, userName, level), audit, ct);
        cache.GrantsChanged();
        return grant;
    }

    public async Task DeletePermissionAsync(ClaimsPrincipal caller, string? resourceType, string? resource, string? user, AuditContext audit, CancellationToken ct)
    {
        var target = Resource(resourceType, resource);
        var userName = AccountRules.UserName(user, "user");
        await access.DemandAsync(caller, target, PermissionLevel.Manage, ct);
        await store.DeletePermissionAsync(target, userName, audit, ct);
        cache.GrantsChanged();
    }

    /// <summary>Throws PERMISSION_DENIED unless the caller may decide who uses the resource.</summary>
    public ValueTask DemandManageAsync(ClaimsPrincipal caller, ResourceRef resource, CancellationToken ct) =>
        access.DemandAsync(caller, resource, PermissionLevel.Manage, ct);

    public async Task<PermissionGrant?> GetPermissionAsync(ClaimsPrincipal caller, ResourceRef resource, string user, CancellationToken ct)
    {
        await access.DemandAsync(caller, resource, PermissionLevel.Manage, ct);
        return await store.GetPermissionAsync(resource, user, ct);
    }

    /// <summary>Grants by resource type, resource and user: administrators see all; others their own
    /// (<paramref name="user"/> = themselves) or those on a resource they MANAGE.</summary>
    public async Task<IReadOnlyList<PermissionGrant>> ListPermissionsAsync(
        ClaimsPrincipal caller, string? resourceType, string? resource, string? user, CancellationToken ct)
    {
        ResourceKind? kind = null;
        if (!string.IsNullOrEmpty(resourceType))
            kind = Resource(resourceType, resource ?? "").Kind;
        else if (!string.IsNullOrEmpty(resource))
            throw SlipwayException.InvalidParameter("'resource' needs 'resource_type'.");
        var key = string.IsNullOrEmpty(resource) ? null : resource;
        var who = string.IsNullOrEmpty(user) ? null : user;
        if (!IsAdmin(caller))
        {
            if (who is null || who != caller.UserName())
            {
                if (kind is not { } k || key is null)
                    throw Denied("list your own permissions (user=yourself) or those of a resource you manage");
                await access.DemandAsync(caller, new ResourceRef(k, key), PermissionLevel.Manage, ct);
            }
        }
        return await store.ListPermissionsAsync(kind, key, who, ct);
    }

    /// <summary>Reads a resource type (<c>experiments</c>, <c>models</c>, …) and key into a reference.</summary>
    public static ResourceRef Resource(string? resourceType, string? resource)
    {
        if (string.IsNullOrEmpty(resourceType))
            throw SlipwayException.MissingParameter("resource_type");
        if (!ResourceKinds.TryParse(resourceType, out var kind))
            throw SlipwayException.InvalidParameter(
                $"Invalid resource_type '{resourceType}': use experiments, models, endpoints, monitors or pipelines.");
        if (resource is null)
            throw SlipwayException.MissingParameter("resource");
        if (resource.Length > 1024 || resource.Any(char.IsControl))
            throw SlipwayException.InvalidParameter("Invalid resource name.");
        return new ResourceRef(kind, resource);
    }
}
