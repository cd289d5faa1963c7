using System.Security.Claims;

namespace Slipway.Core.Security;

/// <summary>The claims Slipway puts on an authenticated user, and the roles it knows.</summary>
public static class SlipwayClaims
{
    /// <summary>A role the user holds (<see cref="AdminRole"/>, <see cref="ApproverRole"/>, or a custom approver role).</summary>
    public const string Role = ClaimTypes.Role;

    /// <summary>How the user signed in: <c>password</c>, <c>token</c>, <c>cookie</c>, <c>oidc</c>, or <c>endpoint-token</c>.</summary>
    public const string Method = "slipway:auth_method";

    /// <summary>The id of the access token the request carried, when it carried one.</summary>
    public const string TokenId = "slipway:token_id";

    /// <summary>For an endpoint token: the serving endpoint it opens.</summary>
    public const string Endpoint = "slipway:endpoint";

    public const string AdminRole = "admin";
    public const string ApproverRole = "approver";

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AdminRole);

    /// <summary>The user's name, or null for an anonymous request (and for an endpoint token, which names no user).</summary>
    public static string? UserName(this ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } && user.FindFirst(Endpoint) is null ? name : null;
}
