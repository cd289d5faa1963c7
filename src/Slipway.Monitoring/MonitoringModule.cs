using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Slipway.Artifacts;
using Slipway.Core.Errors;
using Slipway.Monitoring.Alerts;
using Slipway.Monitoring.Api;
using Slipway.Monitoring.InferenceLog;
using Slipway.Monitoring.Monitors;
using Slipway.Tracking.Api;

namespace Slipway.Monitoring;

public static class MonitoringModule
{
    /// <summary>
    /// Registers monitors on endpoints: <see cref="MonitorService"/>, the <see cref="MonitorRunner"/> and its
    /// computation, the hosted <see cref="MonitorScheduler"/>, the Prometheus gauges, alerting
    /// (<see cref="AlertingModule.AddSlipwayAlerting"/>) and the DuckDB reader of the inference log. Needs
    /// <c>AddSlipwayStorage</c> (<see cref="IMonitorStore"/>, <see cref="IAlertStateStore"/>), <c>AddSlipwayTracking</c>
    /// (an artifact store: local, or an object store whose log segments are cached locally), <c>AddSlipwayRegistry</c>
    /// and <c>AddSlipwayServing</c>. Throws listing every problem when <paramref name="options"/> is invalid.
    /// </summary>
    public static IServiceCollection AddSlipwayMonitoring(this IServiceCollection services, MonitoringOptions options)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new SlipwayException(ErrorCode.InvalidParameterValue, "Invalid monitoring configuration:\n  " + string.Join("\n  ", problems));
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSlipwayAlerting(options.Alerting);
        // Object stores' segments are read from a local cache of copies (ArtifactStoreOptions.CacheDirectory).
        services.TryAddSingleton<IInferenceWindowSource>(sp => new DuckDbInferenceWindowSource(
            sp.GetRequiredService<IArtifactStore>(), InferenceSegmentCache.Create(sp.GetService<ArtifactStoreOptions>())));
        services.AddSingleton<ReferenceLoader>();
        services.AddSingleton<MonitorComputation>();
        services.AddSingleton<MonitoringMetrics>();
        services.AddSingleton<MonitorRunner>();
        services.AddSingleton<MonitorService>();
        services.AddSingleton<IRpcResourceResolver, MonitorResolver>();
        services.AddSingleton<MonitorScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<MonitorScheduler>());
        return services;
    }

    /// <summary>Maps the monitor REST API under <c>/api/slipway/v1</c> (<c>monitors</c>, <c>alerts</c>).</summary>
    public static IEndpointRouteBuilder MapSlipwayMonitoring(this IEndpointRouteBuilder app)
    {
        var service = app.ServiceProvider.GetRequiredService<MonitorService>();
        MonitorEndpoints.Map(app.MapGroup("/api/slipway/v1").WithTags("Slipway monitors"), service);
        return app;
    }
}
