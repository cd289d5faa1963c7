using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Slipway.Core.Security;
using Slipway.Security.Access;
using Slipway.Security.Credentials;

namespace Slipway.Security.Authentication;

/// <summary>
/// The server's one authentication scheme. It reads, in order: <c>Authorization: Basic</c> (a password, or an access
/// token given as the password, as MLflow clients send <c>MLFLOW_TRACKING_USERNAME</c>/<c>PASSWORD</c>);
/// <c>Authorization: Bearer</c> (a Slipway access token, <c>MLFLOW_TRACKING_TOKEN</c>, or an identity provider's JWT
/// when OIDC is configured); else the UI's session cookie. A request that sends an <c>Authorization</c> header is judged
/// by it alone. Challenges answer in the protocol of the route (see <see cref="ChallengeWriter"/>).
/// </summary>
public sealed class SlipwayAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ICredentialVerifier verifier,
    SecurityDirectory directory,
    SecurityOptions options)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    internal const string ThrottledItem = "slipway.auth.retry_after";
    internal const string FailureItem = "slipway.auth.failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
            return await FromCookieAsync();
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || string.IsNullOrEmpty(value.Parameter))
            return Fail("The Authorization header is malformed.");
        var client = Context.Connection.RemoteIpAddress;
        if (value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryDecodeBasic(value.Parameter, out var user, out var password))
                return Fail("The Basic credentials are malformed.");
            var outcome = TokenCodec.LooksLikeToken(password)
                ? await verifier.VerifyTokenAsync(password, client, Context.RequestAborted)
                : await verifier.VerifyPasswordAsync(user, password, client, "password", Context.RequestAborted);
            return Result(outcome);
        }
        if (value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            if (TokenCodec.LooksLikeToken(value.Parameter))
                return Result(await verifier.VerifyTokenAsync(value.Parameter, client, Context.RequestAborted));
            if (options.Oidc.IsConfigured)
                return await FromIdentityProviderAsync();
            return Fail("The bearer token is not a Slipway access token.");
        }
        return Fail($"Unsupported authorization scheme '{value.Scheme}'; use Basic or Bearer.");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ChallengeWriter.ChallengeAsync(Context, Context.Items[FailureItem] as string, Context.Items[ThrottledItem] as TimeSpan?);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ChallengeWriter.ForbidAsync(Context);

    private async Task<AuthenticateResult> FromCookieAsync()
    {
        var result = await Context.AuthenticateAsync(SecurityModule.CookieScheme);
        return result.Succeeded ? AuthenticateResult.Success(new AuthenticationTicket(result.Principal!, Scheme.Name)) : AuthenticateResult.NoResult();
    }

    /// <summary>
    /// Validates the JWT with the OIDC scheme, then names the user by the configured claim and maps groups to roles.
    /// A name that belongs to a stored (local) account is refused: identity providers often let users pick their
    /// <c>preferred_username</c>, and taking over a local account's grants, admin flag or tokens must not be that easy.
    /// </summary>
    private async Task<AuthenticateResult> FromIdentityProviderAsync()
    {
        var result = await Context.AuthenticateAsync(SecurityModule.OidcScheme);
        if (!result.Succeeded || result.Principal is null)
            return Fail("The bearer token was not accepted by the identity provider's keys, audience or lifetime.");
        var jwt = result.Principal;
        var name = jwt.FindFirst(options.Oidc.UserClaim)?.Value ?? jwt.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(name) || name.Length > 256 || name.Any(c => char.IsControl(c) || c is ':' or '/'))
            return Fail($"The bearer token has no usable '{options.Oidc.UserClaim}' or 'sub' claim.");
        if (await directory.FindUserAsync(name, Context.RequestAborted) is not null)
            return Fail($"The identity provider's user '{name}' has the name of a local Slipway account; sign in with that account instead.");
        var groups = jwt.FindAll(options.Oidc.RolesClaim).Select(c => c.Value).ToList();
        var isAdmin = groups.Contains(options.Oidc.AdminGroup, StringComparer.Ordinal);
        List<string> roles = groups.Contains(options.Oidc.ApproverGroup, StringComparer.Ordinal) ? [SlipwayClaims.ApproverRole] : [];
        var principal = SlipwayPrincipals.ForName(name, isAdmin, roles, "oidc");
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    private AuthenticateResult Result(SignInOutcome outcome)
    {
        if (outcome.Succeeded)
            return AuthenticateResult.Success(new AuthenticationTicket(outcome.User!, Scheme.Name));
        if (outcome.RetryAfter is { } wait)
            Context.Items[ThrottledItem] = wait;
        return Fail(outcome.Failure ?? "Authentication failed.");
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }

    private static bool TryDecodeBasic(string parameter, out string user, out string password)
    {
        user = password = "";
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
                return false;
            user = decoded[..colon];
            password = decoded[(colon + 1)..];
            return user.Length <= 256 && !user.Any(char.IsControl);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
