using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Slipway.Core.Errors;

namespace Slipway.Web;

/// <summary>
/// The UI's permission check: before a page reads or changes something, it demands the same policy
/// (<see cref="Slipway.Core.Security.SlipwayPolicies"/>) as the REST route that does the same, for the user of the
/// connection. The pages call the module services directly, so without this the UI would be a way around the
/// policies the APIs enforce.
/// </summary>
public sealed class UiAccess(IAuthorizationService authorization, AuthenticationStateProvider authentication)
{
    /// <summary>Whether the connection's user holds <paramref name="policy"/> (to show or hide a control).</summary>
    public async Task<bool> AllowsAsync(string policy)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return (await authorization.AuthorizeAsync(state.User, policy)).Succeeded;
    }

    /// <summary>Throws PERMISSION_DENIED, shown by the page like any other domain error, unless the user holds
    /// <paramref name="policy"/>.</summary>
    public async Task DemandAsync(string policy)
    {
        if (!await AllowsAsync(policy))
            throw new SlipwayException(ErrorCode.PermissionDenied, $"You do not have the '{policy}' permission this needs.");
    }
}
