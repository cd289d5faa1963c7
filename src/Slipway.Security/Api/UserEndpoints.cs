using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Security.Accounts;
using Slipway.Tracking.Api;

namespace Slipway.Security.Api;

/// <summary><c>users</c> (administrators; a user may read and re-password themselves) and <c>whoami</c>.</summary>
internal static class UserEndpoints
{
    public static void Map(IEndpointRouteBuilder api, AccountService accounts)
    {
        api.MapRpc("POST", "users", "CreateUser", SlipwayPolicies.Admin, async (args, context) =>
        {
            var user = await accounts.CreateUserAsync(args.String("name"), args.String("password"), args.Bool("admin") ?? false,
                args.StringList("roles"), RequestActor.From(context), context.RequestAborted);
            return UserResult(user);
        });
        api.MapRpc("GET", "users", "ListUsers", SlipwayPolicies.Admin, async (args, context) =>
        {
            var users = await accounts.ListUsersAsync(context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WriteStartArray("users");
                foreach (var user in users)
                    SecurityJson.WriteUser(w, user);
                w.WriteEndArray();
            });
        });
        api.MapRpc("GET", "users/{name}", "GetUser", SlipwayPolicies.Authenticated, async (args, context) =>
            UserResult(await accounts.GetUserAsync(context.User, SecurityApi.Route(context, "name"), context.RequestAborted)));
        api.MapRpc("PATCH", "users/{name}", "UpdateUser", SlipwayPolicies.Authenticated, async (args, context) =>
        {
            // "roles" absent or null leaves the roles alone; a list (even an empty one) replaces them.
            var roles = args.Body is { } body && body.TryGetProperty("roles", out var given) && given.ValueKind != System.Text.Json.JsonValueKind.Null
                ? args.StringList("roles")
                : null;
            var changes = new UserChanges(args.String("password"), args.String("current_password"), args.Bool("admin"), roles);
            return UserResult(await accounts.UpdateUserAsync(context.User, SecurityApi.Route(context, "name"), changes,
                RequestActor.From(context), context.RequestAborted));
        });
        api.MapRpc("DELETE", "users/{name}", "DeleteUser", SlipwayPolicies.Admin, async (args, context) =>
        {
            await accounts.DeleteUserAsync(context.User, SecurityApi.Route(context, "name"), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Empty;
        });
        api.MapRpc("GET", "whoami", "WhoAmI", SlipwayPolicies.Authenticated, async (args, context) => await WhoAmIAsync(accounts, context));
    }

    /// <summary>
    /// The signed-in user as the server sees them. Users of an identity provider may have no stored row; they are
    /// described from their claims. With authentication off there is nobody to describe.
    /// </summary>
    private static async Task<IResult> WhoAmIAsync(AccountService accounts, HttpContext context)
    {
        var principal = context.User;
        var method = principal.FindFirst(SlipwayClaims.Method)?.Value;
        if (principal.FindFirst(SlipwayClaims.Endpoint) is not null)
            throw new SlipwayException(ErrorCode.PermissionDenied, "Permission denied: an endpoint token names no user.");
        if (principal.UserName() is not { } name)
        {
            if (accounts.IsAdmin(principal))
                return MlflowJsonResult.Object(w => w.WriteString("auth_method", "none"));
            throw new SlipwayException(ErrorCode.Unauthenticated, "Not signed in.");
        }
        var user = await accounts.FindUserAsync(name, context.RequestAborted) ?? FromClaims(principal, name);
        return MlflowJsonResult.Object(w =>
        {
            w.WritePropertyName("user");
            SecurityJson.WriteUser(w, user with { IsAdmin = user.IsAdmin || principal.IsAdmin() });
            w.WriteString("auth_method", method ?? "unknown");
        });
    }

    private static SlipwayUser FromClaims(ClaimsPrincipal principal, string name) =>
        new(name, null, principal.IsAdmin(),
            principal.FindAll(SlipwayClaims.Role).Select(c => c.Value).Where(r => r != SlipwayClaims.AdminRole).Distinct().ToList(), 0, 0);

    private static MlflowJsonResult UserResult(SlipwayUser user) => MlflowJsonResult.Object(w =>
    {
        w.WritePropertyName("user");
        SecurityJson.WriteUser(w, user);
    });
}
