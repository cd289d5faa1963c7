using Microsoft.AspNetCore.Routing;
using Slipway.Core.Security;
using Slipway.Security.Accounts;
using Slipway.Tracking.Api;

namespace Slipway.Security.Api;

/// <summary><c>permissions</c>: set (PUT), list (GET), delete (DELETE), each on one (resource_type, resource, user).</summary>
internal static class PermissionEndpoints
{
    public static void Map(IEndpointRouteBuilder api, AccountService accounts)
    {
        api.MapRpc("PUT", "permissions", "SetPermission", SlipwayPolicies.Authenticated, async (args, context) =>
        {
            var grant = await accounts.SetPermissionAsync(context.User, args.String("resource_type"), args.String("resource"),
                args.String("user"), args.String("permission"), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName("permission");
                SecurityJson.WriteGrant(w, grant);
            });
        });
        api.MapRpc("GET", "permissions", "ListPermissions", SlipwayPolicies.Authenticated, async (args, context) =>
        {
            var grants = await accounts.ListPermissionsAsync(context.User, args.String("resource_type"), args.String("resource"),
                args.String("user"), context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WriteStartArray("permissions");
                foreach (var grant in grants)
                    SecurityJson.WriteGrant(w, grant);
                w.WriteEndArray();
            });
        });
        api.MapRpc("DELETE", "permissions", "DeletePermission", SlipwayPolicies.Authenticated, async (args, context) =>
        {
            await accounts.DeletePermissionAsync(context.User, args.String("resource_type"), args.String("resource"),
                args.String("user"), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
    }
}
