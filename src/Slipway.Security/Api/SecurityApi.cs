using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Errors;
using Slipway.Security.Accounts;
using Slipway.Tracking.Api;

namespace Slipway.Security.Api;

/// <summary>
/// The admin REST API (<c>/api/2.0/slipway/users|tokens|permissions|whoami</c>) and MLflow's auth REST API
/// (<c>/api/2.0/mlflow/users/…</c>, <c>…/experiments/permissions/…</c>, <c>…/registered-models/permissions/…</c>), also
/// under <c>/ajax-api/2.0</c>. Routes are mapped with <see cref="MlflowRouting.MapRpc"/>, so errors are MLflow's JSON;
/// the policy (Admin or Authenticated) is the first gate, <see cref="AccountService"/> makes the finer checks.
/// </summary>
public static class SecurityApi
{
    private static readonly string[] ApiPrefixes = ["/api/2.0", "/ajax-api/2.0"];

    public static IEndpointRouteBuilder MapSlipwaySecurityApi(this IEndpointRouteBuilder app)
    {
        var accounts = app.ServiceProvider.GetRequiredService<AccountService>();
        foreach (var prefix in ApiPrefixes)
        {
            var slipway = app.MapGroup(prefix + "/slipway").WithTags("Slipway users, tokens and permissions");
            UserEndpoints.Map(slipway, accounts);
            TokenEndpoints.Map(slipway, accounts);
            PermissionEndpoints.Map(slipway, accounts);
            MlflowAuthEndpoints.Map(app.MapGroup(prefix + "/mlflow").WithTags("MLflow auth"), accounts);
        }
        return app;
    }

    /// <summary>A route value, as a 400 when it is empty.</summary>
    internal static string Route(HttpContext context, string name) =>
        context.Request.RouteValues[name] is string { Length: > 0 } value ? value : throw SlipwayException.MissingParameter(name);
}
