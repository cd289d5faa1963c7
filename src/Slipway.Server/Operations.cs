using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Prometheus;
using Slipway.Core.Security;
using Slipway.Security;
using Slipway.Storage;
using Slipway.Tracking.Api;

namespace Slipway.Server;

/// <summary>Health probes, Prometheus <c>/metrics</c> (HTTP requests by route and status, latency histograms,
/// and the <c>Slipway.Storage</c> meter's store latencies), exposed by every Slipway process.</summary>
public static class Operations
{
    public static IServiceCollection AddSlipwayOperations(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        services.AddSingleton<StoreMetricsBridge>();
        KeepSlipwayMetersOutOfMeterAdapter();
        return services;
    }

    /// <summary>
    /// Slipway's own meters are exported under their real names (StoreMetricsBridge, the modules' prometheus-net
    /// metrics); prometheus-net's default meter adapter would publish them a second time as mistyped
    /// <c>slipway_&lt;meter&gt;_*</c> gauges. Every process that maps <c>/metrics</c> calls this.
    /// </summary>
    public static void KeepSlipwayMetersOutOfMeterAdapter() =>
        Metrics.ConfigureMeterAdapter(adapter => adapter.InstrumentFilterPredicate = instrument => !instrument.Meter.Name.StartsWith("Slipway", StringComparison.Ordinal));

    public static WebApplication UseSlipwayOperations(this WebApplication app)
    {
        // Last line of defence: anything that escapes a module still answers in a protocol error shape, never an empty 500.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                app.Logger.LogError(exception, "Unhandled error on {Path}", context.Request.Path);
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"Internal server error\"}");
            }
        });
        _ = app.Services.GetRequiredService<StoreMetricsBridge>();
        app.UseMlflowPathGuard();
        app.UseRouting();
        UseBodyLimits(app);
        app.UseHttpMetrics(options => options.ReduceStatusCodeCardinality());
        app.UseSlipwaySecurity();
        app.UseAuthorization();
        // Probes come from kubelets and load balancers that hold no credentials, and say nothing but up or down.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        app.MapMetrics("/metrics").RequireAuthorization(SlipwayPolicies.Operations);
        return app;
    }

    /// <summary>
    /// Kestrel's own limit is off because artifact uploads stream; so every request gets one here, once its route is
    /// known: artifact uploads the upload limit; routes that declare a limit (gRPC) and the JSON RPCs (which check the
    /// declared length and set the limit themselves, so an oversized body gets a 400 and not a cut connection) their
    /// own; everything else (the UI, login, unrouted requests) the JSON limit, which inference routes raise before
    /// they read.
    /// </summary>
    private static void UseBodyLimits(WebApplication app)
    {
        var options = app.Services.GetRequiredService<SlipwayServerOptions>();
        app.Use((context, next) =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                var metadata = context.GetEndpoint()?.Metadata;
                if (metadata?.GetMetadata<RawBody>() is not null)
                    size.MaxRequestBodySize = options.MaxArtifactUploadBytes;
                else if (metadata?.GetMetadata<IRequestSizeLimitMetadata>() is null && metadata?.GetMetadata<RpcRoute>() is null)
                    size.MaxRequestBodySize = options.MaxJsonBodyBytes;
            }
            return next(context);
        });
    }

    private sealed class StorageHealthCheck(IDbContextFactory<SlipwayDbContext> factory) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("metadata database unreachable");
        }
    }
}
