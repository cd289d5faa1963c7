using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Slipway.Core.Errors;
using Slipway.Monitoring.Alerts;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Server.Api;
using Slipway.Registry.Hooks;
using Slipway.Tracking.Api;

namespace Slipway.Pipelines.Server;

/// <summary>Registers server-side pipelines (issue 6): stored definitions, runs, schedules and triggers.</summary>
public static class PipelineServerModule
{
    /// <summary>
    /// Registers <see cref="PipelineService"/>, the hosted <see cref="PipelineRunCoordinator"/> and
    /// <see cref="PipelineScheduler"/>, the alert-action sink and (hosted) model-version hook that start triggered runs, and the
    /// default <see cref="IStepExecutorFactory"/> (local executors) unless one is registered. Needs
    /// <c>AddSlipwayStorage</c> (<see cref="Core.Pipelines.IPipelineStore"/>). Throws listing every problem when
    /// <paramref name="options"/> is invalid.
    /// </summary>
    public static IServiceCollection AddSlipwayPipelines(this IServiceCollection services, PipelineServerOptions options)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new SlipwayException(ErrorCode.InvalidParameterValue, "Invalid pipelines configuration:\n  " + string.Join("\n  ", problems));
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IStepExecutorFactory>(sp => options.Executor == PipelineServerOptions.KubernetesExecutor
            ? new KubernetesStepExecutorFactory(options.Kubernetes, sp.GetService<TimeProvider>())
            : new BuiltInStepExecutorFactory(sp.GetService<TimeProvider>()));
        services.AddSingleton<LoopbackClientFactory>();
        services.AddSingleton<PipelineRunCoordinator>();
        services.AddHostedService(sp => sp.GetRequiredService<PipelineRunCoordinator>());
        services.AddSingleton<PipelineService>();
        services.AddSingleton<IRpcResourceResolver, PipelineResolver>();
        services.AddSingleton<PipelineScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<PipelineScheduler>());
        services.AddSingleton<PipelineEventTriggers>();
        services.AddHostedService(sp => sp.GetRequiredService<PipelineEventTriggers>());
        services.AddSingleton<IAlertActionSink>(sp => sp.GetRequiredService<PipelineEventTriggers>());
        services.AddSingleton<IModelVersionCreatedHook>(sp => sp.GetRequiredService<PipelineEventTriggers>());
        return services;
    }

    /// <summary>Maps the pipeline REST API under <c>/api/slipway/v1/pipelines</c>.</summary>
    public static IEndpointRouteBuilder MapSlipwayPipelines(this IEndpointRouteBuilder app)
    {
        var service = app.ServiceProvider.GetRequiredService<PipelineService>();
        PipelineEndpoints.Map(app.MapGroup("/api/slipway/v1").WithTags("Slipway pipelines"), service);
        return app;
    }
}
