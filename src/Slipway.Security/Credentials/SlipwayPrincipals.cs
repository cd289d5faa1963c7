using System.Security.Claims;
using Slipway.Core.Security;

namespace Slipway.Security.Credentials;

/// <summary>Builds the principal a request runs as, from a stored user or an endpoint token.</summary>
public static class SlipwayPrincipals
{
    public const string AuthenticationType = "Slipway";

    /// <summary>A user: name, admin and other roles, how they signed in, and (for a token) its id. <paramref name="extraRoles"/>
    /// adds roles from elsewhere (an identity provider's groups).</summary>
    public static ClaimsPrincipal ForUser(SlipwayUser user, string method, string? tokenId = null, IEnumerable<string>? extraRoles = null)
    {
        var principal = ForName(user.Name, user.IsAdmin, user.Roles.Concat(extraRoles ?? []), method, tokenId);
        // A UI session remembers which password it was opened with, so that a new password ends it.
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(Authentication.SessionCookie.StampClaim, Authentication.SessionCookie.Stamp(user.PasswordHash)));
        return principal;
    }

    public static ClaimsPrincipal ForName(string name, bool isAdmin, IEnumerable<string> roles, string method, string? tokenId = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(SlipwayClaims.Method, method) };
        if (isAdmin)
            claims.Add(new Claim(SlipwayClaims.Role, SlipwayClaims.AdminRole));
        foreach (var role in roles.Distinct(StringComparer.Ordinal))
        {
            if (role != SlipwayClaims.AdminRole)
                claims.Add(new Claim(SlipwayClaims.Role, role));
        }
        if (tokenId is not null)
            claims.Add(new Claim(SlipwayClaims.TokenId, tokenId));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType, ClaimTypes.Name, SlipwayClaims.Role));
    }

    /// <summary>An endpoint token: it names no user (<see cref="SlipwayClaims.UserName"/> is null) and opens only its endpoint.
    /// Its name, <c>endpoint-token:ENDPOINT/TOKEN</c>, is what audit and logs show.</summary>
    public static ClaimsPrincipal ForEndpointToken(AccessToken token)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, $"endpoint-token:{token.Subject}/{token.Name}"),
            new(SlipwayClaims.Method, "endpoint-token"),
            new(SlipwayClaims.Endpoint, token.Subject),
            new(SlipwayClaims.TokenId, token.Id),
        };
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType, ClaimTypes.Name, SlipwayClaims.Role));
    }
}
