using Microsoft.Extensions.Logging;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Security.Credentials;

namespace Slipway.Security.Authentication;

/// <summary>
/// On a start with authentication on and no user yet, creates the administrator from
/// <see cref="SecurityOptions.AdminPassword"/> (<c>SLIPWAY_ADMIN_PASSWORD</c>). Without one the server refuses to start,
/// since nobody could ever sign in (unless an identity provider supplies administrators).
/// </summary>
public sealed partial class AdminBootstrap(
    ISecurityStore store,
    SecurityOptions options,
    PasswordHasher hasher,
    TimeProvider time,
    ILogger<AdminBootstrap> logger)
{
    /// <summary>Runs after migrations and before the server listens (<c>SlipwayHost.StartAsync</c>), so a missing
    /// password stops the start with one clear message.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (await store.CountUsersAsync(cancellationToken) > 0)
            return;
        if (string.IsNullOrEmpty(options.AdminPassword))
        {
            if (options.Oidc.IsConfigured)
                return;
            throw new SlipwayException(ErrorCode.InvalidParameterValue,
                "Authentication is on but no user exists yet: set SLIPWAY_ADMIN_PASSWORD (at least " + options.MinPasswordLength +
                " characters) for the first start; it creates the administrator '" + options.AdminUser + "'.");
        }
        if (hasher.Check(options.AdminPassword) is { } problem)
            throw new SlipwayException(ErrorCode.InvalidParameterValue, "SLIPWAY_ADMIN_PASSWORD: " + problem);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            await store.CreateUserAsync(new SlipwayUser(options.AdminUser, hasher.Hash(options.AdminPassword), IsAdmin: true, [], now, now),
                AuditContext.System, cancellationToken);
            LogCreated(logger, options.AdminUser);
        }
        catch (SlipwayException e) when (e.Code == ErrorCode.ResourceAlreadyExists)
        {
            // Another replica starting at the same moment created it first.
        }
    }

    [LoggerMessage(EventId = 1900, Level = LogLevel.Warning, Message = "Created the administrator '{User}' from SLIPWAY_ADMIN_PASSWORD; change the password and remove the variable.")]
    private static partial void LogCreated(ILogger logger, string user);
}
