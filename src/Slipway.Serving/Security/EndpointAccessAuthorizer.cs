using Microsoft.AspNetCore.Http;
using Slipway.Core.Security;

namespace Slipway.Serving.Security;

/// <summary>
/// The data-plane rules of <c>slipway server</c>, where the security module authenticated the request: with access
/// control off every request passes. On, an endpoint token opens its own endpoint and nothing else; an endpoint for
/// which a token was ever issued accepts only its tokens (control-plane users, admins included, are refused there, so
/// production traffic is separated from people); any other endpoint accepts users holding READ on it.
/// </summary>
public sealed class EndpointAccessAuthorizer(IAccessControl access, IEndpointTokenPolicy requirements) : IInferenceAuthorizer
{
    public ValueTask AuthorizeAsync(HttpContext context, string endpoint, CancellationToken ct) =>
        access.Enabled ? DecideAsync(context.User, endpoint, ct) : ValueTask.CompletedTask;

    private async ValueTask DecideAsync(System.Security.Claims.ClaimsPrincipal user, string endpoint, CancellationToken ct)
    {
        if (user.Identity is not { IsAuthenticated: true })
            throw InferenceRefusals.NotSignedIn();
        if (user.FindFirst(SlipwayClaims.Endpoint) is { } opens)
        {
            if (!string.Equals(opens.Value, endpoint, StringComparison.Ordinal))
                throw InferenceRefusals.TokenForOtherEndpoint(endpoint);
            return;
        }
        if (await requirements.RequiresTokenAsync(endpoint, ct))
            throw InferenceRefusals.TokenOnly(endpoint);
        await access.DemandAsync(user, new ResourceRef(ResourceKind.Endpoint, endpoint), PermissionLevel.Read, ct);
    }
}
