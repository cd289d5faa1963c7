using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Registry.Domain;
using Slipway.Serving.Batch.Jobs;
using Slipway.Serving.DataPlane;
using Slipway.Serving.Endpoints;
using Slipway.Serving.Inference;
using Slipway.Serving.Models;
using Slipway.Serving.Security;
using Slipway.Tracking.Api;

namespace Slipway.Serving;

public static class ServingModule
{
    /// <summary>
    /// Registers the endpoint control plane and the live routing layer: <see cref="EndpointService"/>,
    /// <see cref="ModelResolver"/> (the <see cref="IModelSource"/>), the stored specs as the
    /// <see cref="IEndpointSpecSource"/> (either unless one is registered already), the endpoint lineage contributor,
    /// the batch prediction jobs (<see cref="BatchJobQueue"/>, run by the hosted <see cref="BatchJobRunner"/>),
    /// the endpoint permission checks (an <see cref="IRpcResourceResolver"/> for endpoints, and the
    /// <see cref="EndpointAccessAuthorizer"/> that decides inference per endpoint from <see cref="IAccessControl"/> and
    /// the endpoint tokens of <see cref="ISecurityStore"/> when both are registered, else nothing is checked),
    /// and everything <see cref="AddSlipwayDataPlane"/> registers. Needs <c>AddSlipwayStorage</c> (for
    /// <see cref="IEndpointStore"/>), <c>AddSlipwayTracking</c> (artifact store) and <c>AddSlipwayRegistry</c>.
    /// Throws listing every problem when <paramref name="options"/> is invalid.
    /// </summary>
    public static IServiceCollection AddSlipwayServing(this IServiceCollection services, ServingOptions options)
    {
        // Before AddSlipwayDataPlane, whose fallback lets everything through.
        services.TryAddSingleton<IInferenceAuthorizer>(sp =>
            sp.GetService<IAccessControl>() is { } access && sp.GetService<IEndpointTokenPolicy>() is { } tokens
                ? new EndpointAccessAuthorizer(access, tokens)
                : OpenInferenceAuthorizer.Instance);
        services.AddSingleton<IRpcResourceResolver, EndpointResolver>();
        services.AddSlipwayDataPlane(options);
        services.AddSingleton<ModelResolver>();
        services.TryAddSingleton<IModelSource>(sp => sp.GetRequiredService<ModelResolver>());
        services.TryAddSingleton<IEndpointSpecSource, StoreEndpointSpecSource>();
        services.AddSingleton<EndpointService>();
        services.AddSingleton<ILineageContributor, EndpointLineage>();
        services.AddSingleton<BatchJobQueue>();
        services.AddHostedService<BatchJobRunner>();
        return services;
    }

    /// <summary>
    /// Registers only what serves endpoints, without a database: <see cref="EndpointManager"/> (the
    /// <see cref="IInferenceTargets"/> that protocol adapters serve, and a hosted service that follows spec and alias
    /// changes), the ONNX + ML.NET <see cref="IModelLoader"/> and an <see cref="IInferenceAuthorizer"/> that lets every
    /// request through, each unless one is registered already. Needs an
    /// <see cref="IEndpointSpecSource"/> and an <see cref="IModelSource"/> (<c>slipway serve</c> registers remote or
    /// file ones; <see cref="AddSlipwayServing"/> the stored ones). Throws listing every problem when
    /// <paramref name="options"/> is invalid.
    /// </summary>
    public static IServiceCollection AddSlipwayDataPlane(this IServiceCollection services, ServingOptions options)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new SlipwayException(ErrorCode.InvalidParameterValue, "Invalid serving configuration:\n  " + string.Join("\n  ", problems));
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IModelLoader>(sp => new CompositeModelLoader(new OnnxModelLoader(sp.GetService<OnnxRuntimeOptions>()), new Models.MlNet.MlNetModelLoader()));
        services.TryAddSingleton<IInferenceAuthorizer>(OpenInferenceAuthorizer.Instance);
        services.AddSingleton<EndpointManager>();
        services.AddSingleton<IInferenceTargets>(sp => sp.GetRequiredService<EndpointManager>());
        services.AddHostedService(sp => sp.GetRequiredService<EndpointManager>());
        return services;
    }

    /// <summary>
    /// Maps the endpoint REST API (<c>/api/slipway/v1/endpoints</c>), batch prediction jobs
    /// (<c>/api/slipway/v1/batch-predictions</c>) and the access check <c>slipway serve</c> replicas ask
    /// (<c>POST /api/2.0/slipway/endpoints/{name}/verify-token</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapSlipwayServingControlPlane(this IEndpointRouteBuilder app)
    {
        var service = app.ServiceProvider.GetRequiredService<EndpointService>();
        EndpointEndpoints.Map(app.MapGroup("/api/slipway/v1").WithTags("Slipway serving endpoints"), service);
        BatchJobEndpoints.Map(app.MapGroup("/api/slipway/v1").WithTags("Slipway batch predictions"), app.ServiceProvider.GetRequiredService<BatchJobQueue>());
        EndpointAccessEndpoints.Map(app.MapGroup("/api/2.0/slipway").WithTags("Slipway serving endpoints"));
        return app;
    }
}
