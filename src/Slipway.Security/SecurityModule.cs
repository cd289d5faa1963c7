using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Slipway.Core.Security;
using Slipway.Security.Access;
using Slipway.Security.Accounts;
using Slipway.Security.Api;
using Slipway.Security.Authentication;
using Slipway.Security.Credentials;
using Slipway.Security.Ui;

namespace Slipway.Security;

/// <summary>
/// Authentication, access control and the secure defaults around them. With authentication off every policy allows
/// all (a single-user server on loopback); on, every policy needs a signed-in user and the routes check
/// per-resource permissions through <see cref="IAccessControl"/>.
/// </summary>
public static class SecurityModule
{
    public const string SchemeName = "Slipway";
    public const string CookieScheme = "slipway.session";
    public const string OidcScheme = "slipway.oidc";

    /// <param name="keysDirectory">Where the data-protection keys that sign session cookies are kept, when
    /// <see cref="SecurityOptions.KeysDirectory"/> does not say.</param>
    public static IServiceCollection AddSlipwaySecurity(this IServiceCollection services, SecurityOptions options, string keysDirectory)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddSingleton<SecurityDirectory>();
        services.AddSingleton<ISecurityCache>(sp => sp.GetRequiredService<SecurityDirectory>());
        services.AddSingleton<IEndpointTokenPolicy>(sp => sp.GetRequiredService<SecurityDirectory>());
        services.AddSingleton<IAccessControl, AccessControl>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<ICredentialVerifier, CredentialVerifier>();
        services.AddSlipwayAccounts();
        if (options.CorsOrigins.Count > 0)
            services.AddCors(cors => cors.AddDefaultPolicy(p => p.WithOrigins([.. options.CorsOrigins]).AllowAnyHeader().AllowAnyMethod()));

        var authorization = services.AddAuthorizationBuilder();
        if (!options.IsEnabled)
        {
            foreach (var policy in SlipwayPolicies.All)
                authorization.AddPolicy(policy, p => p.RequireAssertion(_ => true));
            return services;
        }

        UsePersistentKeys(services, options.KeysDirectory ?? keysDirectory);
        var authentication = services.AddAuthentication(o =>
            {
                o.DefaultScheme = SchemeName;
                o.DefaultChallengeScheme = SchemeName;
                o.DefaultForbidScheme = SchemeName;
            })
            .AddScheme<AuthenticationSchemeOptions, SlipwayAuthenticationHandler>(SchemeName, null)
            .AddCookie(CookieScheme, o => SessionCookie.Configure(o, options));
        if (options.Oidc.IsConfigured)
        {
            authentication.AddJwtBearer(OidcScheme, o =>
            {
                o.Authority = options.Oidc.Authority;
                o.Audience = options.Oidc.Audience;
                o.RequireHttpsMetadata = options.Oidc.RequireHttpsMetadata;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = options.Oidc.UserClaim;
                o.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(1);
                // Asymmetric signatures only: never "none", never an HMAC keyed with something public.
                o.TokenValidationParameters.ValidAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];
            });
        }
        services.AddSingleton<AdminBootstrap>();
        // Registered after the UI's own provider, so this one wins: open UI connections re-check their user.
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, SessionRevalidation>();

        foreach (var policy in SlipwayPolicies.All)
        {
            authorization.AddPolicy(policy, p =>
            {
                if (policy == SlipwayPolicies.Operations && options.AnonymousMetrics)
                {
                    p.RequireAssertion(_ => true);
                    return;
                }
                p.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser();
                // Endpoint tokens open inference on their endpoint and nothing else.
                if (policy != SlipwayPolicies.ServingInfer)
                    p.RequireAssertion(c => !c.User.HasClaim(claim => claim.Type == SlipwayClaims.Endpoint));
            });
        }
        return services;
    }

    /// <summary>CORS (only when origins are configured) and authentication; call between routing and authorization.</summary>
    public static IApplicationBuilder UseSlipwaySecurity(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<SecurityOptions>();
        if (options.CorsOrigins.Count > 0)
            app.UseCors();
        if (options.IsEnabled)
            app.UseAuthentication();
        return app;
    }

    /// <summary>The user, token and permission APIs (Slipway's and MLflow's) and the UI's login and logout.</summary>
    public static IEndpointRouteBuilder MapSlipwaySecurity(this IEndpointRouteBuilder app)
    {
        app.MapSlipwaySecurityApi();
        app.MapSlipwayLogin();
        return app;
    }

    /// <summary>
    /// Session cookies must be readable after a restart and by every replica, so the keys that protect them are kept
    /// in a folder (shared by replicas, see docs/security.md) instead of the UI's in-memory default.
    /// </summary>
    private static void UsePersistentKeys(IServiceCollection services, string directory)
    {
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        services.RemoveAll<IDataProtectionProvider>();
        services.AddDataProtection().SetApplicationName("slipway").PersistKeysToFileSystem(new DirectoryInfo(directory));
    }
}
