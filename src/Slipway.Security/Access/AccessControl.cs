using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Security;

namespace Slipway.Security.Access;

/// <summary>
/// The permission rules: off → everything allowed; admins → MANAGE on everything; endpoint-token principals → nothing
/// on the control plane; any other signed-in user → their explicit grant on the resource if there is one (an explicit
/// NO_PERMISSIONS denies even when the default allows), else <see cref="SecurityOptions.DefaultPermission"/>.
/// </summary>
public sealed class AccessControl(
    SecurityOptions options,
    SecurityDirectory directory,
    IHttpContextAccessor http) : IAccessControl
{
    public bool Enabled => options.IsEnabled;

    public async ValueTask<PermissionLevel> LevelAsync(ClaimsPrincipal user, ResourceRef resource, CancellationToken ct)
    {
        if (!Enabled || user.IsAdmin())
            return PermissionLevel.Manage;
        if (user.UserName() is not { } name)
            return PermissionLevel.None;
        var grants = await directory.GrantsOfAsync(name, ct);
        return grants.TryGetValue(resource, out var level) ? level : options.DefaultLevel;
    }

    public async ValueTask DemandAsync(ClaimsPrincipal user, ResourceRef resource, PermissionLevel level, CancellationToken ct)
    {
        if (await LevelAsync(user, resource, ct) >= level)
            return;
        var who = user.UserName() ?? user.Identity?.Name ?? AuditContext.Anonymous;
        throw new SlipwayException(ErrorCode.PermissionDenied,
            $"Permission denied: user '{who}' needs {PermissionLevels.Format(level)} on {resource}.");
    }

    public async ValueTask<Func<string, bool>> ReadableAsync(ClaimsPrincipal user, ResourceKind kind, CancellationToken ct)
    {
        if (!Enabled || user.IsAdmin())
            return _ => true;
        if (user.UserName() is not { } name)
            return _ => false;
        var grants = await directory.GrantsOfAsync(name, ct);
        var explicitLevels = grants.Where(g => g.Key.Kind == kind).ToDictionary(g => g.Key.Key, g => g.Value, StringComparer.Ordinal);
        var byDefault = options.DefaultLevel >= PermissionLevel.Read;
        return key => explicitLevels.TryGetValue(key, out var level) ? level >= PermissionLevel.Read : byDefault;
    }

    public async Task GrantCreatorAsync(ClaimsPrincipal user, ResourceRef resource, CancellationToken ct)
    {
        if (!Enabled || user.UserName() is not { } name)
            return;
        await directory.Store.SetPermissionAsync(new PermissionGrant(resource.Kind, resource.Key, name, PermissionLevel.Manage), Audit(name), ct);
        directory.GrantsChanged();
    }

    public async Task ForgetAsync(ResourceRef resource, CancellationToken ct)
    {
        if (!Enabled)
            return;
        var audit = Audit(null);
        await directory.Store.ForgetResourceAsync(resource, audit, ct);
        directory.GrantsChanged();
        if (resource.Kind != ResourceKind.Endpoint)
            return;
        // A deleted endpoint's tokens go with it, so a new endpoint of the same name is not opened by them.
        foreach (var token in await directory.Store.ListTokensAsync(TokenKind.Endpoint, resource.Key, ct))
        {
            if (token.RevokedTime is not null)
                continue;
            await directory.Store.RevokeTokenAsync(token.Id, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), audit, ct);
            directory.TokenChanged(token.Hash);
        }
    }

    public async Task RenameAsync(ResourceRef resource, string newKey, CancellationToken ct)
    {
        if (!Enabled)
            return;
        await directory.Store.RenameResourceAsync(resource, newKey, Audit(null), ct);
        directory.GrantsChanged();
    }

    public bool HasRole(ClaimsPrincipal user, string role) =>
        Enabled && user.UserName() is not null && (user.IsAdmin() || user.IsInRole(role));

    /// <summary>The audit context of the request that caused the change (the signed-in user), else the system.</summary>
    private AuditContext Audit(string? name)
    {
        var context = http.HttpContext;
        var actor = name ?? context?.User.UserName();
        return actor is null ? AuditContext.System : new AuditContext(actor, context?.TraceIdentifier);
    }
}
