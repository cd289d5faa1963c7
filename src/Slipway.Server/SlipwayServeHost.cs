using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;
using Slipway.Artifacts;
using Slipway.Client;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Server.Telemetry;
using Slipway.Serving;
using Slipway.Serving.DataPlane;
using Slipway.Serving.Endpoints;
using Slipway.Serving.Inference;
using Slipway.Serving.Logging;
using Slipway.Serving.Protocols.Grpc;
using Slipway.Serving.Protocols.Mlflow;
using Slipway.Serving.Protocols.Oip;
using Slipway.Serving.Security;

namespace Slipway.Server;

/// <summary>
/// Composes <c>slipway serve</c>: the serving data plane alone — OIP REST and gRPC, MLflow <c>/invocations</c>,
/// <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c> — with endpoint specs from a control plane or a file
/// and no database: the unit a Kubernetes Deployment replicates. Composition only, like <see cref="SlipwayHost"/>.
/// Following a control plane, each caller's credentials are checked with it
/// (<see cref="ControlPlaneInferenceAuthorizer"/>), so its endpoint permissions and tokens hold here too.
/// </summary>
public static class SlipwayServeHost
{
    // The source the selection wraps is registered under a key, so that IEndpointSpecSource itself is the selection.
    private const string SourceKey = "serve";

    /// <summary>Builds the data plane; throws <see cref="SlipwayException"/> listing every problem of the options, then of the endpoints file.</summary>
    public static WebApplication Build(ServeOptions options)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new SlipwayException(ErrorCode.InvalidParameterValue, "Invalid configuration:\n  " + string.Join("\n  ", problems));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        if (string.Equals(Environment.GetEnvironmentVariable("SLIPWAY_LOG_FORMAT"), "json", StringComparison.OrdinalIgnoreCase))
            builder.Logging.AddJsonConsole();
        else
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            Listen(k, options.Host, options.Port, HttpProtocols.Http1AndHttp2);
            if (options.GrpcPort != 0 || options.GrpcPortIsDynamic)
                Listen(k, options.Host, options.GrpcPortIsDynamic ? 0 : options.GrpcPort, HttpProtocols.Http2);
            k.AddServerHeader = false;
        });

        var services = builder.Services;
        services.AddSingleton(options);
        var authorization = services.AddAuthorizationBuilder();
        foreach (var policy in new[] { SlipwayPolicies.ServingInfer, SlipwayPolicies.Operations })
            authorization.AddPolicy(policy, p => p.RequireAssertion(_ => true));
        AddSpecSources(services, options);
        services.AddSlipwayDataPlane(new ServingOptions { ModelCacheDirectory = options.ModelCacheDirectory, ReconcileInterval = options.PollInterval });
        AddInferenceLog(services, options);
        services.AddOipGrpc();
        services.AddHealthChecks().AddCheck<DataPlaneHealthCheck>("endpoints", tags: ["ready"]);
        Operations.KeepSlipwayMetersOutOfMeterAdapter();
        // Tracing from the standard OTEL_* variables (OTEL_EXPORTER_OTLP_ENDPOINT turns it on), as on the control plane.
        services.AddSlipwayTracing(new TelemetryOptions());

        var app = builder.Build();
        CheckEndpointsFile(app);
        UseOperations(app);
        OipEndpoints.Map(app);
        app.MapMlflowScoring();
        app.MapOipGrpc();
        return app;
    }

    /// <summary>
    /// The spec source (control plane or file) behind an <see cref="EndpointSelection"/>, and the model source: the
    /// control plane's registry, or the file's paths with the control plane (when given) for <c>models:/</c> references.
    /// </summary>
    private static void AddSpecSources(IServiceCollection services, ServeOptions options)
    {
        if (options.ControlPlane is { } controlPlane)
        {
            // A factory registration, so that the container disposes the client. Credentials come as MLflow clients take
            // them (MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME / _PASSWORD), e.g. from a Kubernetes secret.
            services.AddSingleton(_ => new SlipwayClient(new Uri(controlPlane))
            {
                UserName = options.ControlPlaneUserName ?? NullIfEmpty(Environment.GetEnvironmentVariable(SlipwayClient.UserNameVariable)),
                Password = options.ControlPlanePassword ?? NullIfEmpty(Environment.GetEnvironmentVariable(SlipwayClient.PasswordVariable)),
                Token = options.ControlPlaneToken ?? NullIfEmpty(Environment.GetEnvironmentVariable(SlipwayClient.TokenVariable)),
            });
            services.AddSingleton(sp => new RemoteModelSource(sp.GetRequiredService<SlipwayClient>(), options.ModelCacheDirectory));
        }
        string sourceName;
        if (options.File is { } file)
        {
            var path = Path.GetFullPath(file);
            sourceName = path;
            services.AddSingleton<IModelSource>(sp => new FileModelSource(Path.GetDirectoryName(path)!, sp.GetService<RemoteModelSource>()));
            services.AddSingleton(sp => new FileEndpointSpecSource(path, sp.GetRequiredService<IModelSource>(), sp.GetRequiredService<TimeProvider>()));
            services.AddKeyedSingleton<IEndpointSpecSource>(SourceKey, (sp, _) => sp.GetRequiredService<FileEndpointSpecSource>());
        }
        else
        {
            sourceName = options.ControlPlane!;
            // The endpoints are the control plane's, and so are the rules on who may call them: each caller's credentials
            // are checked there once and remembered briefly. (An endpoints file's endpoints have no such owner: open.)
            services.AddSingleton<IInferenceAuthorizer>(sp => new ControlPlaneInferenceAuthorizer(
                new Uri(options.ControlPlane!), sp.GetRequiredService<IInferenceTargets>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ControlPlaneInferenceAuthorizer>>()));
            services.AddSingleton<IModelSource>(sp => sp.GetRequiredService<RemoteModelSource>());
            services.AddKeyedSingleton<IEndpointSpecSource>(SourceKey, (sp, _) => new RemoteEndpointSpecSource(sp.GetRequiredService<SlipwayClient>()));
        }
        services.AddSingleton(sp => new EndpointSelection(
            sp.GetRequiredKeyedService<IEndpointSpecSource>(SourceKey), options.Endpoints, sourceName, sp.GetRequiredService<ILogger<EndpointSelection>>()));
        services.AddSingleton<IEndpointSpecSource>(sp => sp.GetRequiredService<EndpointSelection>());
    }

    /// <summary>
    /// With <see cref="ServeOptions.InferenceLogDirectory"/>, sampled requests go to Parquet segments there: a folder, or
    /// the control plane's <c>s3://</c> / <c>azblob://</c> destination (settings from <c>Slipway__Artifacts__*</c>
    /// environment variables), where its monitors read them. Without it nothing is registered, and endpoints log nothing.
    /// </summary>
    private static void AddInferenceLog(IServiceCollection services, ServeOptions options)
    {
        if (options.InferenceLogDirectory is not { } folder)
            return;
        var artifactOptions = new ArtifactStoreOptions();
        new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(ArtifactStoreOptions.SectionName).Bind(artifactOptions);
        services.AddSingleton<IArtifactStore>(_ => ArtifactStoreFactory.Create(folder, artifactOptions));
        services.AddSlipwayInferenceLog(new InferenceLogOptions());
    }

    /// <summary>A bad endpoints file is a configuration error at start-up, with every problem listed; later edits that break it are logged and skipped.</summary>
    private static void CheckEndpointsFile(WebApplication app)
    {
        if (app.Services.GetService<FileEndpointSpecSource>() is not { } file)
            return;
        try
        {
            file.Check();
        }
        catch (Exception e) when (e is SlipwayException or IOException)
        {
            ((IDisposable)app).Dispose();
            throw new SlipwayException(ErrorCode.InvalidParameterValue, e.Message);
        }
    }

    private static void UseOperations(WebApplication app)
    {
        // Last line of defence, as in slipway server: an error that escapes a protocol adapter still answers in an error shape.
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
        app.UseRouting();
        app.UseHttpMetrics(options => options.ReduceStatusCodeCardinality());
        app.UseAuthorization();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
            .RequireAuthorization(SlipwayPolicies.Operations);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = WriteHealthAsync })
            .RequireAuthorization(SlipwayPolicies.Operations);
        app.MapMetrics("/metrics").RequireAuthorization(SlipwayPolicies.Operations);
    }

    /// <summary><c>Healthy</c> or <c>Unhealthy</c>, then why: which endpoints are missing or not ready yet.</summary>
    private static Task WriteHealthAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var reasons = report.Entries.Values.Select(e => e.Description).Where(d => !string.IsNullOrEmpty(d));
        return context.Response.WriteAsync(report.Status + ": " + string.Join(" ", reasons) + "\n");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Listens on an IP address, or on localhost names (both loopbacks) when the host is a name.</summary>
    private static void Listen(KestrelServerOptions kestrel, string host, int port, HttpProtocols protocols)
    {
        if (IPAddress.TryParse(host, out var address))
            kestrel.Listen(address, port, o => o.Protocols = protocols);
        else if (port == 0)
            kestrel.Listen(IPAddress.Loopback, 0, o => o.Protocols = protocols);
        else if (host is "localhost")
            kestrel.ListenLocalhost(port, o => o.Protocols = protocols);
        else
            kestrel.ListenAnyIP(port, o => o.Protocols = protocols);
    }
}
