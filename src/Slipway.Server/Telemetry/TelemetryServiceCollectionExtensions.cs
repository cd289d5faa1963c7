using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Slipway.Core.Diagnostics;

namespace Slipway.Server.Telemetry;

/// <summary>Registers the host's own metrics (webhook outbox gauges) and, when configured, OpenTelemetry tracing.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Adds the webhook outbox gauges and, if <paramref name="options"/> resolve to enabled, an OpenTelemetry tracer
    /// provider: ASP.NET Core requests (not <c>/metrics</c> or health probes), outgoing HttpClient calls (webhooks,
    /// alert notifiers; URLs cut to scheme, host and port), Npgsql commands inside a traced operation and the <see cref="SlipwayActivity"/> source, exported over OTLP.
    /// With tracing off nothing OpenTelemetry is registered, so no listener makes any span.
    /// </summary>
    public static IServiceCollection AddSlipwayTelemetry(this IServiceCollection services, TelemetryOptions options)
    {
        services.AddHostedService<WebhookOutboxMetrics>();
        return services.AddSlipwayTracing(options);
    }

    /// <summary>
    /// Tracing only, for processes without a metadata database (<c>slipway serve</c>): the OpenTelemetry tracer
    /// provider when <paramref name="options"/> (or the standard <c>OTEL_*</c> variables) enable it, else nothing.
    /// </summary>
    public static IServiceCollection AddSlipwayTracing(this IServiceCollection services, TelemetryOptions options)
    {
        var resolved = options.Resolve(Environment.GetEnvironmentVariable);
        services.AddSingleton(resolved);
        if (!resolved.Enabled)
            return services;

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(resolved.ServiceName))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(resolved.SamplingRatio)))
                .AddSource(SlipwayActivity.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsScrapeOrProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                // Registered before the exporter so both run on a span before it is queued for export.
                .AddProcessor(new OutgoingUrlRedactionProcessor())
                .AddProcessor(new RootNpgsqlSpanFilter())
                .AddOtlpExporter(exporter =>
                {
                    exporter.Endpoint = resolved.TracesEndpoint!;
                    exporter.Protocol = resolved.Protocol == TelemetryOptions.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                    exporter.BatchExportProcessorOptions.ScheduledDelayMilliseconds = (int)Math.Max(1, resolved.ExportDelay.TotalMilliseconds);
                }));
        return services;
    }

    // Prometheus scrapes every few seconds and kubelets probe as often: spans for them would drown the real traffic.
    private static bool IsScrapeOrProbe(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health");
}
