using System.Security.Claims;
using Microsoft.AspNetCore.Routing;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Security.Accounts;
using Slipway.Tracking.Api;

namespace Slipway.Security.Api;

/// <summary>
/// MLflow's auth REST API (what <c>mlflow.server.auth.client.AuthServiceClient</c> calls), on Slipway's users and
/// grants: users/create|get|update-password|update-admin|delete and the experiment and registered-model permission
/// routes. As in MLflow, creating a grant that exists is RESOURCE_ALREADY_EXISTS, reading, updating or deleting one
/// that does not is RESOURCE_DOES_NOT_EXIST, and grants name existing users.
/// </summary>
internal static class MlflowAuthEndpoints
{
    public static void Map(IEndpointRouteBuilder api, AccountService accounts)
    {
        MapUsers(api, accounts);
        MapPermissions(api, accounts, "experiments", ResourceKind.Experiment, "experiment_id", "Experiment");
        MapPermissions(api, accounts, "registered-models", ResourceKind.Model, "name", "RegisteredModel");
    }

    private static void MapUsers(IEndpointRouteBuilder api, AccountService accounts)
    {
        api.MapRpc("POST", "users/create", "MlflowCreateUser", SlipwayPolicies.Admin, async (args, context) =>
        {
            var user = await accounts.CreateUserAsync(args.RequiredString("username"), args.RequiredString("password"), admin: false,
                roles: null, RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName("user");
                SecurityJson.WriteMlflowUser(w, user, []);
            });
        });
        api.MapRpc("GET", "users/get", "MlflowGetUser", SlipwayPolicies.Authenticated, async (args, context) =>
        {
            var name = args.RequiredString("username");
            var user = await accounts.GetUserAsync(context.User, name, context.RequestAborted);
            var grants = await accounts.ListPermissionsAsync(context.User, null, null, name, context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName("user");
                SecurityJson.WriteMlflowUser(w, user, grants);
            });
        });
        api.MapRpc("PATCH", "users/update-password", "MlflowUpdateUserPassword", SlipwayPolicies.Authenticated, async (args, context) =>
        {
            // MLflow's client sends no current password; a request signed in with the password has just proven it.
            var changes = new UserChanges(Password: args.RequiredString("password"), CurrentPassword: args.String("current_password"),
                SignedInWithPassword: SignedInWithPassword(context.User));
            await accounts.UpdateUserAsync(context.User, args.RequiredString("username"), changes, RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("PATCH", "users/update-admin", "MlflowUpdateUserAdmin", SlipwayPolicies.Admin, async (args, context) =>
        {
            var isAdmin = args.Bool("is_admin") ?? throw SlipwayException.MissingParameter("is_admin");
            await accounts.UpdateUserAsync(context.User, args.RequiredString("username"), new UserChanges(IsAdmin: isAdmin),
                RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("DELETE", "users/delete", "MlflowDeleteUser", SlipwayPolicies.Admin, async (args, context) =>
        {
            await accounts.DeleteUserAsync(context.User, args.RequiredString("username"), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
    }

    private static void MapPermissions(IEndpointRouteBuilder api, AccountService accounts, string path, ResourceKind kind, string keyParameter, string rpc)
    {
        var resourceType = ResourceKinds.Format(kind);
        var answerName = kind == ResourceKind.Experiment ? "experiment_permission" : "registered_model_permission";
        api.MapRpc("POST", path + "/permissions/create", "Create" + rpc + "Permission", SlipwayPolicies.Authenticated, async (args, context) =>
        {
            var (resource, user) = await ExistingUserAsync(accounts, args, context.User, kind, keyParameter, context.RequestAborted);
            if (await accounts.GetPermissionAsync(context.User, resource, user, context.RequestAborted) is not null)
                throw SlipwayException.AlreadyExists($"Permission for user '{user}' on {resource} already exists.");
            var grant = await accounts.SetPermissionAsync(context.User, resourceType, resource.Key, user, args.RequiredString("permission"),
                RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName(answerName);
                SecurityJson.WriteMlflowPermission(w, grant);
            });
        });
        api.MapRpc("GET", path + "/permissions/get", "Get" + rpc + "Permission", SlipwayPolicies.Authenticated, async (args, context) =>
        {
            var (resource, user) = await ExistingUserAsync(accounts, args, context.User, kind, keyParameter, context.RequestAborted);
            var grant = await accounts.GetPermissionAsync(context.User, resource, user, context.RequestAborted) ?? throw NoGrant(resource, user);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName(answerName);
                SecurityJson.WriteMlflowPermission(w, grant);
            });
        });
        api.MapRpc("PATCH", path + "/permissions/update", "Update" + rpc + "Permission", SlipwayPolicies.Authenticated, async (args, context) =>
        {
            var (resource, user) = await ExistingUserAsync(accounts, args, context.User, kind, keyParameter, context.RequestAborted);
            _ = await accounts.GetPermissionAsync(context.User, resource, user, context.RequestAborted) ?? throw NoGrant(resource, user);
            await accounts.SetPermissionAsync(context.User, resourceType, resource.Key, user, args.RequiredString("permission"),
                RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("DELETE", path + "/permissions/delete", "Delete" + rpc + "Permission", SlipwayPolicies.Authenticated, async (args, context) =>
        {
            var (resource, user) = await ExistingUserAsync(accounts, args, context.User, kind, keyParameter, context.RequestAborted);
            await accounts.DeletePermissionAsync(context.User, resourceType, resource.Key, user, RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
    }

    /// <summary>Reads the resource and user of a permission route; MANAGE is checked before the user is looked up, so
    /// the answer tells nobody without it which users exist.</summary>
    private static async Task<(ResourceRef Resource, string User)> ExistingUserAsync(
        AccountService accounts, RequestArgs args, ClaimsPrincipal caller, ResourceKind kind, string keyParameter, CancellationToken ct)
    {
        var resource = new ResourceRef(kind, args.RequiredString(keyParameter));
        var user = args.RequiredString("username");
        await accounts.DemandManageAsync(caller, resource, ct);
        _ = await accounts.FindUserAsync(user, ct) ?? throw SlipwayException.NotFound($"User with username={user} not found");
        return (resource, user);
    }

    private static SlipwayException NoGrant(ResourceRef resource, string user) =>
        SlipwayException.NotFound($"Permission for user '{user}' on {resource} not found.");

    private static bool SignedInWithPassword(ClaimsPrincipal user) => user.FindFirst(SlipwayClaims.Method)?.Value == "password";
}
