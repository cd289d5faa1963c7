using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Slipway.Security.Credentials;

namespace Slipway.Security.Accounts;

/// <summary>Registers the account service behind the admin REST API and the UI's account pages.</summary>
public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="AccountService"/> (a singleton). It needs the security store (<c>AddSlipwayStorage</c>), the
    /// <see cref="SecurityOptions"/>, the <see cref="Core.Security.IAccessControl"/> and the
    /// <see cref="ISecurityCache"/> that <c>AddSlipwaySecurity</c> registers.
    /// </summary>
    public static IServiceCollection AddSlipwayAccounts(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PasswordHasher>();
        services.AddSingleton<AccountService>();
        return services;
    }
}
