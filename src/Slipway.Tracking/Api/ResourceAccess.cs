using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Security;

namespace Slipway.Tracking.Api;

/// <summary>
/// What the RPC handlers of every module do with per-resource permissions once the request has passed
/// <see cref="RpcAuthorization"/>: filter lists by READ, give creators MANAGE, and drop or move the grants of deleted and
/// renamed resources. Each call is a no-op when no <see cref="IAccessControl"/> is registered or it is off, so the
/// handlers read the same with authentication on or off.
/// </summary>
public static class ResourceAccess
{
    /// <summary>The access control in force for this request, or null when permissions are not enforced.</summary>
    public static IAccessControl? Enforced(HttpContext context) =>
        context.RequestServices.GetService<IAccessControl>() is { Enabled: true } access ? access : null;

    /// <summary>Which keys of <paramref name="kind"/> the caller may read; null when everything is readable.</summary>
    public static async ValueTask<Func<string, bool>?> ReadableAsync(HttpContext context, ResourceKind kind)
    {
        if (Enforced(context) is not { } access || context.User.IsAdmin())
            return null;
        return await access.ReadableAsync(context.User, kind, context.RequestAborted);
    }

    /// <summary>
    /// The items of a list the caller may read, in their order. Pages come out short rather than refilled (MLflow's
    /// auth plugin does the same), so page tokens keep pointing at the unfiltered position and paging stays stable.
    /// </summary>
    public static async ValueTask<IReadOnlyList<T>> FilterAsync<T>(HttpContext context, ResourceKind kind, IReadOnlyList<T> items, Func<T, string> key)
    {
        if (items.Count == 0 || await ReadableAsync(context, kind) is not { } readable)
            return items;
        var visible = new List<T>(items.Count);
        foreach (var item in items)
        {
            if (readable(key(item)))
                visible.Add(item);
        }
        return visible;
    }

    /// <summary>
    /// Gives the signed-in creator of a new resource MANAGE on it. Not cancellable: the resource exists by now, and a
    /// creator left without their grant could not reach what they just made.
    /// </summary>
    public static Task GrantCreatorAsync(HttpContext context, ResourceKind kind, string key) =>
        Enforced(context) is { } access
            ? access.GrantCreatorAsync(context.User, new ResourceRef(kind, key), CancellationToken.None)
            : Task.CompletedTask;

    /// <summary>Drops the grants of a deleted named resource, so a new one of the same name starts with none.</summary>
    public static Task ForgetAsync(HttpContext context, ResourceKind kind, string key) =>
        Enforced(context) is { } access ? access.ForgetAsync(new ResourceRef(kind, key), CancellationToken.None) : Task.CompletedTask;

    /// <summary>Moves the grants of a renamed resource to its new name.</summary>
    public static Task RenameAsync(HttpContext context, ResourceKind kind, string oldKey, string newKey) =>
        Enforced(context) is { } access && !string.Equals(oldKey, newKey, StringComparison.Ordinal)
            ? access.RenameAsync(new ResourceRef(kind, oldKey), newKey, CancellationToken.None)
            : Task.CompletedTask;
}
