using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Artifacts;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Tracking.Access;
using Slipway.Tracking.Api;

namespace Slipway.Tracking;

public static class TrackingModule
{
    private static readonly string[] ApiPrefixes = ["/api/2.0", "/ajax-api/2.0"];

    /// <summary>
    /// Registers experiment tracking: <see cref="TrackingService"/>, the artifact store that
    /// <see cref="TrackingOptions.ArtifactsDestination"/> names (a folder, <c>s3://</c> or <c>azblob://</c>; settings from a
    /// registered <see cref="ArtifactStoreOptions"/> if any), and the allow-all authorization policies its routes use.
    /// Needs an <see cref="Domain.ITrackingStore"/> (see <c>AddSlipwayStorage</c>).
    /// </summary>
    public static IServiceCollection AddSlipwayTracking(this IServiceCollection services, Action<TrackingOptions> configure)
    {
        var options = new TrackingOptions();
        configure(options);
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IArtifactStore>(sp => ArtifactStoreFactory.Create(options.ArtifactsDestination, sp.GetService<ArtifactStoreOptions>()));
        services.AddSingleton<TrackingService>();
        services.AddSingleton<ArtifactOwners>();
        services.AddSingleton<IRpcResourceResolver, ExperimentResolver>();
        var authorization = services.AddAuthorizationBuilder();
        foreach (var policy in SlipwayPolicies.All)
            authorization.AddPolicy(policy, p => p.RequireAssertion(_ => true));
        return services;
    }

    /// <summary>Maps the MLflow tracking REST API and the artifact proxy under <c>/api/2.0</c> and <c>/ajax-api/2.0</c>.</summary>
    public static IEndpointRouteBuilder MapSlipwayTracking(this IEndpointRouteBuilder app)
    {
        var service = app.ServiceProvider.GetRequiredService<TrackingService>();
        var artifacts = app.ServiceProvider.GetRequiredService<IArtifactStore>();
        foreach (var prefix in ApiPrefixes)
        {
            var api = app.MapGroup(prefix + "/mlflow").WithTags("MLflow tracking");
            ExperimentEndpoints.Map(api, service);
            RunEndpoints.Map(api, service);
            ArtifactEndpoints.MapRunListing(api, artifacts, service);
            var proxy = app.MapGroup(prefix + "/mlflow-artifacts").WithTags("MLflow artifacts");
            ArtifactEndpoints.MapProxy(proxy, artifacts, prefix + "/mlflow-artifacts/");
        }
        foreach (var root in new[] { "/api", "/ajax-api" })
        {
            app.MapFallback(root + "/{**rest}", (HttpContext context) =>
                    MlflowJsonResult.Error(ErrorCode.EndpointNotFound, $"No API endpoint {context.Request.Method} {context.Request.Path}"))
                .RequireAuthorization(SlipwayPolicies.ExperimentsRead);
        }
        return app;
    }
}
