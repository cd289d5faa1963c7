using Slipway.Serving.DataPlane;

namespace Slipway.Server;

/// <summary>
/// Settings of <c>slipway serve</c>, the serving data plane without a database: which endpoints to serve and where
/// their specs come from (a control plane, a local file, or a file whose <c>models:/</c> references a control plane
/// resolves), and where to listen.
/// </summary>
public sealed class ServeOptions
{
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port of the REST listener (OIP, <c>/invocations</c>, health, metrics); 0 picks a free one (tests).</summary>
    public int Port { get; set; } = 8080;

    /// <summary>Port of the OIP gRPC listener (HTTP/2 cleartext); 0 turns gRPC off. Tests set <see cref="GrpcPortIsDynamic"/>.</summary>
    public int GrpcPort { get; set; } = 8081;

    /// <summary>Pick a free gRPC port (tests).</summary>
    public bool GrpcPortIsDynamic { get; set; }

    /// <summary>The <c>slipway server</c> to follow, e.g. <c>http://slipway:5000</c>: endpoint specs, model resolution and downloads.</summary>
    public string? ControlPlane { get; set; }

    /// <summary>
    /// The user the data plane signs in to the control plane as (HTTP Basic), to read endpoint specs and download models;
    /// null takes <c>MLFLOW_TRACKING_USERNAME</c>. It needs READ on the endpoints served and on their models.
    /// </summary>
    public string? ControlPlaneUserName { get; set; }

    /// <summary>That user's password or personal access token; null takes <c>MLFLOW_TRACKING_PASSWORD</c>.</summary>
    public string? ControlPlanePassword { get; set; }

    /// <summary>A personal access token sent as <c>Authorization: Bearer</c> instead of the user and password; null takes
    /// <c>MLFLOW_TRACKING_TOKEN</c>.</summary>
    public string? ControlPlaneToken { get; set; }

    /// <summary>The endpoints to serve; empty for every endpoint of the source.</summary>
    public List<string> Endpoints { get; } = [];

    /// <summary>An endpoints file (<c>.json</c>, <c>.yaml</c>, <c>.yml</c>) to serve instead of the control plane's endpoints.</summary>
    public string? File { get; set; }

    /// <summary>Where downloaded model versions are kept, <c>&lt;dir&gt;/&lt;model&gt;/&lt;version&gt;/</c>.</summary>
    public string ModelCacheDirectory { get; set; } = "./slipway-data/model-cache";

    /// <summary>How often the spec source is read and aliases are resolved again.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Where the inference log's Parquet segments go: a local folder, or an s3:// / azblob:// destination; null (the default) turns logging off.</summary>
    public string? InferenceLogDirectory { get; set; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
            problems.Add("--host must not be empty.");
        if (Port is < 0 or > 65535)
            problems.Add($"--port must be between 0 and 65535 (got {Port}).");
        if (GrpcPort is < 0 or > 65535)
            problems.Add($"--grpc-port must be between 0 and 65535 (got {GrpcPort}).");
        if (GrpcPort != 0 && GrpcPort == Port)
            problems.Add($"--grpc-port must differ from --port (both {Port}).");
        if (ControlPlane is null && File is null)
            problems.Add("Give --control-plane URL (serve its endpoints) or --file PATH (serve the endpoints in a file).");
        if (ControlPlane is not null
            && (!Uri.TryCreate(ControlPlane, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            problems.Add($"--control-plane must be an http(s) URL of a Slipway server (got '{ControlPlane}').");
        if (File is not null)
        {
            if (!System.IO.File.Exists(File))
                problems.Add($"--file '{File}' does not exist.");
            else if (!EndpointFile.IsSupported(File))
                problems.Add($"--file '{File}' must be a .json, .yaml or .yml file.");
        }
        foreach (var name in Endpoints)
        {
            if (string.IsNullOrWhiteSpace(name))
                problems.Add("--endpoint must not be empty.");
        }
        if (string.IsNullOrWhiteSpace(ModelCacheDirectory))
            problems.Add("--model-cache must not be empty.");
        if (PollInterval <= TimeSpan.Zero)
            problems.Add($"--poll-interval must be positive (got {PollInterval}).");
        if (InferenceLogDirectory is { } logs && string.IsNullOrWhiteSpace(logs))
            problems.Add("--inference-log-dir must not be empty.");
        return problems;
    }
}
