using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Security;
using Slipway.Web.Assets;
using Slipway.Web.Components;

namespace Slipway.Web;

/// <summary>The Blazor UI at <c>/</c>: server-rendered components, interactive over the built-in connection.</summary>
public static class WebModule
{
    /// <summary>Registers the UI's components and per-connection services.</summary>
    public static IServiceCollection AddSlipwayWeb(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        // The UI's circuits and antiforgery tokens are protected with keys held in memory: a circuit never outlives
        // its process anyway, and nothing is written to the user's profile. Sign-in cookies (issue 9) will need
        // keys shared by every replica, kept in the backend store.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.Configure<CircuitOptions>(o =>
        {
            o.DetailedErrors = false;
            // A browser call on a connection that has gone (a closed tab whose circuit is kept for reconnection)
            // waits for this long; chart components make one when they are disposed, which the server does to every
            // circuit when it stops. The default minute would hold a shutdown past the host's 30 s timeout.
            o.JSInteropDefaultCallTimeout = TimeSpan.FromSeconds(10);
        });
        services.AddScoped<UiSession>();
        services.AddScoped<UiAccess>();
        return services;
    }

    /// <summary>Maps the pages, their connection hub and the embedded scripts and styles.</summary>
    public static WebApplication MapSlipwayWeb(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapUiAssets();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .RequireAuthorization(SlipwayPolicies.Ui);
        return app;
    }
}
