using Microsoft.AspNetCore.Routing;
using Slipway.Core.Security;
using Slipway.Security.Accounts;
using Slipway.Tracking.Api;

namespace Slipway.Security.Api;

/// <summary><c>tokens</c>: create (the secret is in this answer only), list, revoke.</summary>
internal static class TokenEndpoints
{
    public static void Map(IEndpointRouteBuilder api, AccountService accounts)
    {
        api.MapRpc("POST", "tokens", "CreateToken", SlipwayPolicies.Authenticated, async (args, context) =>
        {
            var issued = await accounts.CreateTokenAsync(context.User, args.String("name"), args.Int("expires_in_days"),
                args.String("user"), args.String("endpoint"), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName("token");
                SecurityJson.WriteToken(w, issued.Token);
                w.WriteString("secret", issued.Secret);
            });
        });
        api.MapRpc("GET", "tokens", "ListTokens", SlipwayPolicies.Authenticated, async (args, context) =>
        {
            var tokens = await accounts.ListTokensAsync(context.User, args.String("user"), args.String("endpoint"), context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WriteStartArray("tokens");
                foreach (var token in tokens)
                    SecurityJson.WriteToken(w, token);
                w.WriteEndArray();
            });
        });
        api.MapRpc("DELETE", "tokens/{id}", "RevokeToken", SlipwayPolicies.Authenticated, async (args, context) =>
        {
            var token = await accounts.RevokeTokenAsync(context.User, SecurityApi.Route(context, "id"), RequestActor.From(context), context.RequestAborted);
            return MlflowJsonResult.Object(w =>
            {
                w.WritePropertyName("token");
                SecurityJson.WriteToken(w, token);
            });
        });
    }
}
