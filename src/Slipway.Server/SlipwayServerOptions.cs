using Slipway.Registry;
using Slipway.Serving.Endpoints;
using Slipway.Serving.Logging;

namespace Slipway.Server;

/// <summary>
/// Settings of <c>slipway server</c>. Sources, weakest first: defaults, <c>appsettings.json</c> section
/// <c>Slipway</c>, environment variables <c>SLIPWAY_HOST</c>, <c>SLIPWAY_PORT</c>,
/// <c>SLIPWAY_BACKEND_STORE_URI</c>, <c>SLIPWAY_ARTIFACTS_DESTINATION</c>, then command-line flags.
/// </summary>
public sealed class SlipwayServerOptions
{
    public const string SectionName = "Slipway";

    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (tests).</summary>
    public int Port { get; set; } = 5000;

    public string BackendStoreUri { get; set; } = "sqlite:///./slipway-data/slipway.db";

    /// <summary>Where artifacts and inference logs go: a folder, <c>file:///path</c>, <c>s3://bucket/prefix</c> or <c>azblob://container/prefix</c>.</summary>
    public string ArtifactsDestination { get; set; } = "./slipway-data/artifacts";

    /// <summary>Object-store settings and the local cache of object-store files, bound from <c>Slipway:Artifacts</c> (see docs/storage.md).</summary>
    public Slipway.Artifacts.ArtifactStoreOptions Artifacts { get; } = new();

    /// <summary>
    /// Port of the Open Inference Protocol gRPC service (HTTP/2 cleartext, as Triton and KServe serve it beside REST);
    /// 0 turns gRPC off. Tests set <see cref="GrpcPortIsDynamic"/> to get a free port.
    /// </summary>
    public int GrpcPort { get; set; } = 5001;

    /// <summary>Pick a free gRPC port (tests).</summary>
    public bool GrpcPortIsDynamic { get; set; }

    /// <summary>Serving settings, bound from <c>Slipway:Serving</c> (model cache folder, local model root, reconcile interval).</summary>
    public ServingOptions Serving { get; } = new();

    /// <summary>Inference log settings, bound from <c>Slipway:InferenceLog</c>.</summary>
    public InferenceLogOptions InferenceLog { get; } = new();

    /// <summary>Monitoring settings, bound from <c>Slipway:Monitoring</c> (scheduler, alert delivery).</summary>
    public Slipway.Monitoring.MonitoringOptions Monitoring { get; } = new();

    /// <summary>Server-side pipelines (<c>Slipway:Pipelines</c>): run folders, poll interval, scheduler and executor switches.</summary>
    public Slipway.Pipelines.Server.PipelineServerOptions Pipelines { get; } = new();

    /// <summary>Largest accepted request body for JSON APIs (bytes), and for any route that sets no limit of its own.
    /// Artifact uploads are limited by <see cref="MaxArtifactUploadBytes"/>; inference routes have their own limits.</summary>
    public long MaxJsonBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest single artifact upload through the artifact proxy (bytes); default 10 GiB.</summary>
    public long MaxArtifactUploadBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>
    /// Registry settings, bound from <c>Slipway:Registry</c>: <c>Roles</c> (for example
    /// <c>"Roles": { "approver": ["alice", "bob"] }</c>; <c>SLIPWAY_APPROVERS</c> or <c>--approvers</c> set the
    /// approver role as a comma-separated list), alias cache lifetime and webhook delivery.
    /// </summary>
    public RegistryOptions Registry { get; } = new();

    /// <summary>OpenTelemetry tracing (<c>Slipway:Telemetry</c>): off unless enabled or an OTLP endpoint is set.</summary>
    public Slipway.Server.Telemetry.TelemetryOptions Telemetry { get; } = new();

    /// <summary>Authentication and access control (<c>Slipway:Auth</c>, <c>--auth</c>); see docs/security.md.</summary>
    public Slipway.Security.SecurityOptions Auth { get; } = new();

    /// <summary>Listen beyond loopback with authentication off (<c>--insecure-no-auth</c>): anyone who can reach the
    /// port is an administrator. Refused without this flag.</summary>
    public bool InsecureNoAuth { get; set; }

    /// <summary>Sets the users holding the approver role from a comma-separated list.</summary>
    public void SetApprovers(string approvers) =>
        Registry.Roles[Slipway.Registry.Domain.ApprovalPolicy.DefaultApproverRole] = approvers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>Whether a --host value only accepts connections from this machine.</summary>
    public static bool IsLoopback(string host) =>
        host is "localhost" || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
            problems.Add("--host must not be empty.");
        if (Port is < 0 or > 65535)
            problems.Add($"--port must be between 0 and 65535 (got {Port}).");
        if (string.IsNullOrWhiteSpace(BackendStoreUri))
            problems.Add("--backend-store-uri must not be empty.");
        else if (!BackendStoreUri.StartsWith("sqlite:", StringComparison.Ordinal)
                 && !BackendStoreUri.StartsWith("postgresql:", StringComparison.Ordinal)
                 && !BackendStoreUri.StartsWith("postgres:", StringComparison.Ordinal))
            problems.Add($"--backend-store-uri must start with sqlite:/// or postgresql:// (got '{BackendStoreUri}').");
        problems.AddRange(Artifacts.Validate(ArtifactsDestination));
        if (GrpcPort is < 0 or > 65535)
            problems.Add($"--grpc-port must be between 0 and 65535 (got {GrpcPort}).");
        if (GrpcPort != 0 && GrpcPort == Port && Port != 0)
            problems.Add($"--grpc-port must differ from --port (both {Port}).");
        problems.AddRange(Serving.Validate());
        problems.AddRange(Monitoring.Validate());
        problems.AddRange(Pipelines.Validate());
        problems.AddRange(Telemetry.Validate());
        problems.AddRange(Registry.Webhooks.Validate());
        problems.AddRange(Auth.Validate());
        if (MaxJsonBodyBytes < 1024 || MaxArtifactUploadBytes < 1024)
            problems.Add("MaxJsonBodyBytes and MaxArtifactUploadBytes must be at least 1024 bytes.");
        if (!Auth.IsEnabled && !InsecureNoAuth && !IsLoopback(Host))
            problems.Add($"Refusing to listen on '{Host}' with authentication off: anyone who can reach the port could read and change " +
                         "everything. Turn authentication on (--auth with SLIPWAY_ADMIN_PASSWORD, see docs/security.md), listen on " +
                         "127.0.0.1, or pass --insecure-no-auth if the network in front of Slipway controls access.");
        return problems;
    }
}
