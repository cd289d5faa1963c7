using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Slipway.Serving.Api;

namespace Slipway.Serving.Logging;

public static class ServingLoggingModule
{
    /// <summary>
    /// Registers the inference log (<see cref="ParquetInferenceLog"/> as <see cref="IInferenceLog"/> and as a hosted
    /// service that writes Parquet segments), the <see cref="FeedbackStore"/> and the <see cref="InferenceLogCatalog"/>.
    /// With <see cref="InferenceLogOptions.Enabled"/> false, <see cref="IInferenceLog"/> discards every record.
    /// Needs an <c>IArtifactStore</c> (see <c>AddSlipwayTracking</c>); the feedback API also needs
    /// <c>IInferenceTargets</c>. Throws listing every problem when the options are invalid.
    /// </summary>
    public static IServiceCollection AddSlipwayInferenceLog(this IServiceCollection services, InferenceLogOptions options)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new InvalidOperationException("Invalid inference log settings:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        services.AddSingleton(options);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        if (options.Enabled)
        {
            services.AddSingleton<ParquetInferenceLog>();
            services.AddSingleton<IInferenceLog>(sp => sp.GetRequiredService<ParquetInferenceLog>());
            services.AddHostedService(sp => sp.GetRequiredService<ParquetInferenceLog>());
        }
        else
        {
            services.AddSingleton<IInferenceLog, DisabledInferenceLog>();
        }
        services.AddSingleton<FeedbackStore>();
        services.AddSingleton<InferenceLogCatalog>();
        return services;
    }

    /// <summary>
    /// Maps <c>POST /api/slipway/v1/endpoints/{name}/feedback</c> and <c>GET /api/slipway/v1/endpoints/{name}/inference-log</c>,
    /// with MLflow-style errors.
    /// </summary>
    public static IEndpointRouteBuilder MapSlipwayFeedback(this IEndpointRouteBuilder app)
    {
        FeedbackEndpoints.Map(app.MapGroup("/api/slipway/v1").WithTags("Slipway inference log"));
        return app;
    }

    private sealed class DisabledInferenceLog : IInferenceLog
    {
        public bool TryWrite(InferenceLogRecord record) => false;
    }
}
