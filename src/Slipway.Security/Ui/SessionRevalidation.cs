using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Logging;
using Slipway.Core.Security;
using Slipway.Security.Access;
using Slipway.Security.Authentication;

namespace Slipway.Security.Ui;

/// <summary>
/// An open UI tab keeps one connection for as long as it stays open, and the session cookie is only checked on HTTP
/// requests. Every few seconds this re-reads the user behind the connection: a deleted user, a new password, or changed
/// admin flag or roles end the connection's sign-in, so a demoted user cannot keep acting through a tab left open.
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggerFactory, SecurityDirectory directory)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(5);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var user = authenticationState.User;
        if (user.UserName() is not { } name || user.FindFirst(SlipwayClaims.Method)?.Value == "oidc")
            return true; // nobody signed in, or a user the identity provider vouches for per request
        return SessionCookie.StillValid(user, await directory.FindUserAsync(name, cancellationToken));
    }
}
