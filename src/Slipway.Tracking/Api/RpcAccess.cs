using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Errors;
using Slipway.Core.Security;

namespace Slipway.Tracking.Api;

/// <summary>The resource an RPC acts on, as its module's <see cref="IRpcResourceResolver"/> reads it from the request.</summary>
public abstract record RpcTarget
{
    /// <summary>One existing resource: the policy's level is demanded on it.</summary>
    public sealed record One(ResourceRef Resource) : RpcTarget;

    /// <summary>Several existing resources (a search over named experiments): the level is demanded on each.</summary>
    public sealed record Many(IReadOnlyList<ResourceRef> Resources) : RpcTarget;

    /// <summary>Creates a new top-level resource: any signed-in user may; the handler then grants the creator MANAGE.</summary>
    public sealed record Creates : RpcTarget;

    /// <summary>A list across resources: the handler filters it by READ (<see cref="IAccessControl.ReadableAsync"/>).</summary>
    public sealed record Lists : RpcTarget;

    /// <summary>Names a resource that does not exist (or no resource at all): the handler answers 404 or 400 itself.</summary>
    public sealed record Missing : RpcTarget;

    public static readonly RpcTarget CreatesNew = new Creates();
    public static readonly RpcTarget ListsMany = new Lists();
    public static readonly RpcTarget NotFound = new Missing();

    public static RpcTarget On(ResourceKind kind, string key) => new One(new ResourceRef(kind, key));
}

/// <summary>
/// Reads which resource of its kind an RPC names, from the RPC's name, its arguments and its route values. Each module
/// registers one for the kinds it owns; an RPC whose policy names a kind without a resolver is refused to
/// non-admins, so a new route cannot slip past per-resource permissions.
/// </summary>
public interface IRpcResourceResolver
{
    ResourceKind Kind { get; }

    ValueTask<RpcTarget> ResolveAsync(string rpcName, RequestArgs args, HttpContext context, CancellationToken ct);
}

/// <summary>The per-resource check every <see cref="MlflowRouting.MapRpc"/> route runs once its arguments are read.</summary>
public static class RpcAuthorization
{
    public static async ValueTask AuthorizeAsync(HttpContext context, string policy, string rpcName, RequestArgs args)
    {
        var access = context.RequestServices.GetService<IAccessControl>();
        if (access is not { Enabled: true })
            return;
        var user = context.User;
        var requirement = SlipwayPolicies.Requirement(policy);
        if (requirement.AdminOnly)
        {
            if (!user.IsAdmin())
                throw new SlipwayException(ErrorCode.PermissionDenied, $"Permission denied: '{rpcName}' needs an administrator.");
            return;
        }
        if (requirement.Kind is not { } kind || user.IsAdmin())
            return;
        IRpcResourceResolver? resolver = null;
        foreach (var candidate in context.RequestServices.GetServices<IRpcResourceResolver>())
        {
            if (candidate.Kind == kind)
                resolver = candidate;
        }
        if (resolver is null)
            throw new SlipwayException(ErrorCode.PermissionDenied, $"Permission denied: no permission check is registered for {ResourceKinds.Format(kind)}.");
        var target = await resolver.ResolveAsync(rpcName, args, context, context.RequestAborted);
        switch (target)
        {
            case RpcTarget.One one:
                await access.DemandAsync(user, one.Resource, requirement.Level, context.RequestAborted);
                break;
            case RpcTarget.Many many:
                foreach (var resource in many.Resources)
                    await access.DemandAsync(user, resource, requirement.Level, context.RequestAborted);
                break;
        }
    }
}
