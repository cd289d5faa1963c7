using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Security;
using Slipway.Security.Ui;
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
        // The UI's circuits and antiforgery tokens are protected with keys held in memory: a circuit never outlives its
        // process anyway, and nothing is written to the user's profile. With authentication on, the security module
        // (registered after this) replaces them with persisted keys, which session cookies need.
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

    /// <summary>Maps the pages, their connection hub and the embedded scripts and styles, all with the UI's security
    /// headers. The pages need the <see cref="SlipwayPolicies.Ui"/> policy; the assets are public, since the sign-in form
    /// (<c>LoginEndpoints</c>, mapped by the security module) uses the styles.</summary>
    public static WebApplication MapSlipwayWeb(this WebApplication app)
    {
        app.UseAntiforgery();
        app.Use((context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<UiResponse>() is not null)
                UiSecurityHeaders.ApplyOnStarting(context.Response);
            return next(context);
        });
        app.MapUiAssets().AllowAnonymous().WithMetadata(UiResponse.Instance);
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .RequireAuthorization(SlipwayPolicies.Ui)
            .WithMetadata(UiResponse.Instance);
        return app;
    }

    /// <summary>Marks the endpoints whose responses are the UI's, so they get its security headers.</summary>
    private sealed class UiResponse
    {
        public static readonly UiResponse Instance = new();
    }
}
