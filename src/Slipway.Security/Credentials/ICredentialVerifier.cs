using System.Net;
using System.Security.Claims;

namespace Slipway.Security.Credentials;

/// <summary>The outcome of a sign-in attempt. <see cref="RetryAfter"/> is set when it was refused for too many failures.</summary>
public sealed record SignInOutcome(ClaimsPrincipal? User, string? Failure, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => User is not null;
}

/// <summary>
/// Checks a user name and password (the UI's login form and HTTP Basic) or an access token (Bearer, or a token given as
/// the Basic password), with failed attempts throttled per user name and per client address and audited.
/// </summary>
public interface ICredentialVerifier
{
    Task<SignInOutcome> VerifyPasswordAsync(string user, string password, IPAddress? client, string method, CancellationToken ct);

    Task<SignInOutcome> VerifyTokenAsync(string secret, IPAddress? client, CancellationToken ct);
}
