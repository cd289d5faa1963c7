using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Slipway.Core.Errors;
using Slipway.Monitoring;
using Slipway.Pipelines.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Slipway.Registry;
using Slipway.Security;
using Slipway.Server.Telemetry;
using Slipway.Serving;
using Slipway.Serving.Endpoints;
using Slipway.Serving.Logging;
using Slipway.Serving.Protocols.Grpc;
using Slipway.Serving.Protocols.Mlflow;
using Slipway.Serving.Protocols.Oip;
using Slipway.Storage;
using Slipway.Tracking;
using Slipway.Web;

namespace Slipway.Server;

/// <summary>Composes the modules into one ASP.NET Core application. Composition only: no logic lives here.</summary>
public static class SlipwayHost
{
    /// <summary>Reads settings from appsettings.json (current folder) and <c>SLIPWAY_*</c> environment variables.</summary>
    public static SlipwayServerOptions LoadOptions(string? basePath = null)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(basePath ?? Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var options = new SlipwayServerOptions();
        configuration.GetSection(SlipwayServerOptions.SectionName).Bind(options);
        options.Host = configuration["SLIPWAY_HOST"] ?? options.Host;
        if (int.TryParse(configuration["SLIPWAY_PORT"], out var port))
            options.Port = port;
        options.BackendStoreUri = configuration["SLIPWAY_BACKEND_STORE_URI"] ?? options.BackendStoreUri;
        options.ArtifactsDestination = configuration["SLIPWAY_ARTIFACTS_DESTINATION"] ?? options.ArtifactsDestination;
        if (int.TryParse(configuration["SLIPWAY_GRPC_PORT"], out var grpcPort))
            options.GrpcPort = grpcPort;
        if (configuration["SLIPWAY_APPROVERS"] is { Length: > 0 } approvers)
            options.SetApprovers(approvers);
        options.Auth.AdminPassword = configuration["SLIPWAY_ADMIN_PASSWORD"] ?? options.Auth.AdminPassword;
        return options;
    }

    /// <summary>Builds the server; migrations are applied by <see cref="StartAsync"/> / <see cref="RunAsync"/>.</summary>
    public static WebApplication Build(SlipwayServerOptions options)
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
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.WebHost.ConfigureKestrel(k =>
        {
            var address = System.Net.IPAddress.TryParse(options.Host, out var ip) ? ip : null;
            Listen(k, options.Host, address, options.Port, HttpProtocols.Http1AndHttp2);
            if (options.GrpcPort != 0 || options.GrpcPortIsDynamic)
                Listen(k, options.Host, address, options.GrpcPortIsDynamic ? 0 : options.GrpcPort, HttpProtocols.Http2);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null; // artifact uploads stream; JSON bodies are limited per route
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSlipwayStorage(options.BackendStoreUri);
        options.Artifacts.CacheDirectory ??= Slipway.Artifacts.ArtifactStoreOptions.DefaultCacheDirectory(options.ArtifactsDestination);
        builder.Services.AddSingleton(options.Artifacts);
        builder.Services.AddSlipwayTracking(o =>
        {
            o.ArtifactsDestination = options.ArtifactsDestination;
            o.MaxJsonBodyBytes = options.MaxJsonBodyBytes;
        });
        builder.Services.AddSlipwayRegistry(options.Registry);
        builder.Services.AddSlipwayServing(options.Serving);
        builder.Services.AddSlipwayInferenceLog(options.InferenceLog);
        builder.Services.AddSlipwayMonitoring(options.Monitoring);
        options.Pipelines.WorkDirectory ??= PipelineServerOptions.DefaultWorkDirectory(options.ArtifactsDestination);
        builder.Services.AddSlipwayPipelines(options.Pipelines);
        builder.Services.AddOipGrpc();
        builder.Services.AddSlipwayOperations();
        builder.Services.AddSlipwayTelemetry(options.Telemetry);
        builder.Services.AddSlipwayWeb();
        // Last: it replaces the allow-all policies the modules register and the UI's in-memory data-protection keys.
        builder.Services.AddSlipwaySecurity(options.Auth, KeysDirectory(options));

        var app = builder.Build();
        app.UseSlipwayOperations();
        app.MapSlipwayRegistry();
        app.MapSlipwayServingControlPlane();
        app.MapSlipwayFeedback();
        app.MapSlipwayMonitoring();
        app.MapSlipwayPipelines();
        OipEndpoints.Map(app);
        app.MapMlflowScoring();
        app.MapOipGrpc();
        app.MapSlipwayTracking();
        app.MapSlipwaySecurity();
        app.MapSlipwayWeb();
        return app;
    }

    /// <summary>The default folder of the session-cookie keys: beside a SQLite database, else under the working folder.</summary>
    private static string KeysDirectory(SlipwayServerOptions options)
    {
        const string sqlite = "sqlite:///";
        var uri = options.BackendStoreUri;
        var folder = uri.StartsWith(sqlite, StringComparison.Ordinal) && Path.GetDirectoryName(uri[sqlite.Length..].Split('?')[0]) is { Length: > 0 } dir
            ? dir
            : "slipway-data";
        return Path.GetFullPath(Path.Combine(folder, "keys"));
    }

    /// <summary>Applies pending schema migrations, then starts listening.</summary>
    public static async Task StartAsync(WebApplication app, CancellationToken ct = default)
    {
        await PrepareAsync(app, ct);
        await app.StartAsync(ct);
    }

    public static async Task RunAsync(WebApplication app, CancellationToken ct = default)
    {
        await PrepareAsync(app, ct);
        await app.StartAsync(ct);
        await app.WaitForShutdownAsync(ct);
    }

    /// <summary>Migrations, then (authentication on) the first administrator: both before the port opens.</summary>
    private static async Task PrepareAsync(WebApplication app, CancellationToken ct)
    {
        await app.Services.MigrateSlipwayStorageAsync(ct);
        if (app.Services.GetService<Slipway.Security.Authentication.AdminBootstrap>() is { } bootstrap)
            await bootstrap.RunAsync(ct);
    }

    /// <summary>Applies migrations without starting a server (<c>slipway db upgrade</c>).</summary>
    public static Task UpgradeDatabaseAsync(string backendStoreUri, CancellationToken ct = default) =>
        StorageMigrator.UpgradeAsync(backendStoreUri, ct);

    /// <summary>The first address the server listens on, e.g. <c>http://127.0.0.1:54321</c>.</summary>
    public static Uri GetBaseAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }

    /// <summary>The address of the gRPC listener, when there is one (it is the one that speaks HTTP/2 only).</summary>
    public static Uri? GetGrpcAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return addresses.Count > 1 ? new Uri(addresses.Last()) : null;
    }

    /// <summary>Listens on an IP address, or on localhost names (both loopbacks) when the host is a name.</summary>
    private static void Listen(KestrelServerOptions kestrel, string host, System.Net.IPAddress? address, int port, HttpProtocols protocols)
    {
        if (address is not null)
            kestrel.Listen(address, port, o => o.Protocols = protocols);
        else if (port == 0)
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = protocols);
        else if (host is "localhost")
            kestrel.ListenLocalhost(port, o => o.Protocols = protocols);
        else
            kestrel.ListenAnyIP(port, o => o.Protocols = protocols);
    }
}
