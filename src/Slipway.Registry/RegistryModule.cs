using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Audit;
using Slipway.Registry.Api;
using Slipway.Registry.Webhooks;
using Slipway.Tracking.Api;

namespace Slipway.Registry;

public static class RegistryModule
{
    private static readonly string[] ApiPrefixes = ["/api/2.0", "/ajax-api/2.0"];

    /// <summary>
    /// Registers the model registry: <see cref="RegistryService"/>, the alias cache and the webhook dispatcher.
    /// Needs an <see cref="Domain.IRegistryStore"/> and <see cref="IAuditStore"/> (see <c>AddSlipwayStorage</c>)
    /// and the tracking module.
    /// </summary>
    public static IServiceCollection AddSlipwayRegistry(this IServiceCollection services, RegistryOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<AliasCache>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<RegistryService>();
        services.AddSingleton<IRpcResourceResolver, ModelResolver>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }

    /// <summary>Maps MLflow's registry REST API and Slipway's governance API under <c>/api/slipway/v1</c>.</summary>
    public static IEndpointRouteBuilder MapSlipwayRegistry(this IEndpointRouteBuilder app)
    {
        var service = app.ServiceProvider.GetRequiredService<RegistryService>();
        foreach (var prefix in ApiPrefixes)
            ModelRegistryEndpoints.Map(app.MapGroup(prefix + "/mlflow").WithTags("MLflow model registry"), service);
        var slipway = app.MapGroup("/api/slipway/v1").WithTags("Slipway governance");
        GovernanceEndpoints.Map(slipway, service);
        AuditAndWebhookEndpoints.Map(slipway, service, app.ServiceProvider.GetRequiredService<IAuditStore>());
        return app;
    }
}
