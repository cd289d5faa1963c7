using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Slipway.Core.Errors;
using Slipway.Core.Security;

namespace Slipway.Web;

/// <summary>
/// The UI's permission checks, for the user of the connection (the signed-in user of the session cookie). The pages
/// call the module services directly, so without these the UI would be a way around what the APIs enforce: before a
/// page shows or changes a resource it demands the same level on it as the REST route that does the same, lists are
/// filtered to what the user may read, and policies that need an administrator need one here too. When access
/// control is off (or not registered, as in unit tests) only the policies decide, and every resource is allowed.
/// </summary>
public sealed class UiAccess(
    IAuthorizationService authorization,
    AuthenticationStateProvider authentication,
    IAccessControl? accessControl = null)
{
    /// <summary>Whether per-resource permissions are enforced (authentication is on).</summary>
    public bool Enforced => accessControl is { Enabled: true };

    /// <summary>The connection's user, as authenticated when the connection opened.</summary>
    public async Task<ClaimsPrincipal> UserAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    /// <summary>Whether the connection's user holds <paramref name="policy"/> (to show or hide a control).</summary>
    public async Task<bool> AllowsAsync(string policy)
    {
        var user = await UserAsync();
        if (Enforced && SlipwayPolicies.Requirement(policy).AdminOnly && !user.IsAdmin())
            return false;
        return (await authorization.AuthorizeAsync(user, policy)).Succeeded;
    }

    /// <summary>Throws PERMISSION_DENIED, shown by the page like any other domain error, unless the user holds
    /// <paramref name="policy"/>.</summary>
    public async Task DemandAsync(string policy)
    {
        if (!await AllowsAsync(policy))
            throw new SlipwayException(ErrorCode.PermissionDenied, $"You do not have the '{policy}' permission this needs.");
    }

    /// <summary>Whether the user holds at least <paramref name="level"/> on <paramref name="resource"/>.</summary>
    public async Task<bool> AllowsAsync(ResourceRef resource, PermissionLevel level) =>
        accessControl is not { Enabled: true } access
        || await access.LevelAsync(await UserAsync(), resource, CancellationToken.None) >= level;

    /// <summary>Throws PERMISSION_DENIED unless the user holds at least <paramref name="level"/> on <paramref name="resource"/>.</summary>
    public async Task DemandAsync(ResourceRef resource, PermissionLevel level, CancellationToken ct = default)
    {
        if (accessControl is { Enabled: true } access)
            await access.DemandAsync(await UserAsync(), resource, level, ct);
    }

    /// <summary>The items of a list the user may read, in their order (all of them when access control is off).
    /// Pages come out short rather than refilled, as on the REST API, so page tokens stay valid.</summary>
    public async Task<IReadOnlyList<T>> ReadableAsync<T>(ResourceKind kind, IReadOnlyList<T> items, Func<T, string> key, CancellationToken ct = default)
    {
        if (items.Count == 0 || accessControl is not { Enabled: true } access)
            return items;
        var readable = await access.ReadableAsync(await UserAsync(), kind, ct);
        var visible = new List<T>(items.Count);
        foreach (var item in items)
        {
            if (readable(key(item)))
                visible.Add(item);
        }
        return visible;
    }

    /// <summary>Gives the user MANAGE on a resource they just created from the UI, as the REST handlers do for theirs.
    /// Not cancellable: the resource exists by now, and a creator without the grant could not reach it.</summary>
    public async Task GrantCreatorAsync(ResourceRef resource)
    {
        if (accessControl is { Enabled: true } access)
            await access.GrantCreatorAsync(await UserAsync(), resource, CancellationToken.None);
    }

    public static ResourceRef Experiment(string id) => new(ResourceKind.Experiment, id);

    public static ResourceRef Model(string name) => new(ResourceKind.Model, name);

    public static ResourceRef Endpoint(string name) => new(ResourceKind.Endpoint, name);

    public static ResourceRef Monitor(string name) => new(ResourceKind.Monitor, name);

    public static ResourceRef Pipeline(string name) => new(ResourceKind.Pipeline, name);
}
