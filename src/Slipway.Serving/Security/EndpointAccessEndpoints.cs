using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Security;
using Slipway.Tracking.Api;

namespace Slipway.Serving.Security;

/// <summary>
/// <c>POST /api/2.0/slipway/endpoints/{name}/verify-token</c>: answers whether the request's own credentials may call
/// the endpoint's inference routes, by the same rules the data plane of <c>slipway server</c> applies. A
/// <c>slipway serve</c> replica, which has no database, forwards a caller's <c>Authorization</c> header here once and
/// remembers the verdict for a short time (<see cref="DataPlane.ControlPlaneInferenceAuthorizer"/>). Mapped with the
/// inference policy, so endpoint tokens may call it: it is the one control-plane route they reach.
/// Answers <c>{"endpoint","auth_enabled","principal"}</c>; 401 without valid credentials, 403 when refused.
/// </summary>
internal static class EndpointAccessEndpoints
{
    public const string Pattern = "endpoints/{name}/verify-token";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapRpc("POST", Pattern, ServingAccess.VerifyAccessRpc, SlipwayPolicies.ServingInfer, async (args, context) =>
        {
            var name = (string)context.Request.RouteValues["name"]!;
            await context.RequestServices.GetRequiredService<IInferenceAuthorizer>().AuthorizeAsync(context, name, context.RequestAborted);
            var enabled = ResourceAccess.Enforced(context) is not null;
            var principal = !enabled ? null : context.User.FindFirst(SlipwayClaims.Endpoint) is not null ? "endpoint-token" : "user";
            return MlflowJsonResult.Object(w =>
            {
                w.WriteString("endpoint", name);
                w.WriteBoolean("auth_enabled", enabled);
                if (principal is not null)
                    w.WriteString("principal", principal);
            });
        }).WithName(ServingAccess.VerifyAccessRpc).WithSummary("Check that the request's credentials may call an endpoint's inference routes.");
    }
}
