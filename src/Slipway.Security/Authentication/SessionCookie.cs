using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using System.Security.Claims;
using Slipway.Core.Security;
using Slipway.Security.Access;
using Slipway.Security.Credentials;

namespace Slipway.Security.Authentication;

/// <summary>
/// The UI's session cookie: HTTP-only, SameSite=Strict (a cross-site request never carries it, which together with
/// the login form's anti-forgery token stops cross-site request forgery), Secure unless configured otherwise, sliding
/// expiry. On every request the session is checked against the stored user: a deleted user or a changed password ends
/// it, and changed roles apply at once.
/// </summary>
public static class SessionCookie
{
    /// <summary>The claim holding a fingerprint of the password hash the session was opened with.</summary>
    public const string StampClaim = "slipway:stamp";

    public static void Configure(CookieAuthenticationOptions cookie, SecurityOptions options)
    {
        cookie.Cookie.Name = SecurityModule.CookieScheme;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = options.CookieSecure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        cookie.Cookie.Path = "/";
        cookie.ExpireTimeSpan = options.SessionLifetime;
        cookie.SlidingExpiration = true;
        cookie.LoginPath = "/login";
        cookie.Events.OnValidatePrincipal = ValidateAsync;
    }

    /// <summary>The fingerprint of a stored password hash (never the hash itself, which stays out of cookies).</summary>
    public static string Stamp(string? passwordHash) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(passwordHash ?? "")))[..16];

    /// <summary>
    /// Whether a principal built at sign-in still matches the stored user: the user exists, the password is the one the
    /// session was opened with, and the admin flag and roles are unchanged.
    /// </summary>
    public static bool StillValid(ClaimsPrincipal principal, SlipwayUser? stored)
    {
        if (stored is null || principal.FindFirst(StampClaim)?.Value != Stamp(stored.PasswordHash) || principal.IsAdmin() != stored.IsAdmin)
            return false;
        var held = principal.FindAll(SlipwayClaims.Role).Select(c => c.Value).Where(r => r != SlipwayClaims.AdminRole).Distinct().Order(StringComparer.Ordinal);
        var current = stored.Roles.Where(r => r != SlipwayClaims.AdminRole).Distinct().Order(StringComparer.Ordinal);
        return held.SequenceEqual(current, StringComparer.Ordinal);
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var directory = context.HttpContext.RequestServices.GetRequiredService<SecurityDirectory>();
        var user = name is null ? null : await directory.FindUserAsync(name, context.HttpContext.RequestAborted);
        if (user is null || context.Principal!.FindFirst(StampClaim)?.Value != Stamp(user.PasswordHash))
        {
            // Roles may change (they are re-read below); only a deleted user or a new password ends the session.
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SecurityModule.CookieScheme);
            return;
        }
        context.ReplacePrincipal(SlipwayPrincipals.ForUser(user, "cookie"));
    }
}
