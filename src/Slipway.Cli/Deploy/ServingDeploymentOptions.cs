using Slipway.Pipelines.Executors.Kubernetes;

namespace Slipway.Cli.Deploy;

/// <summary>
/// How <c>slipway deploy kubernetes</c> shapes one endpoint's serving objects: image, namespace, replica bounds of the
/// autoscaler, resources, and whether the pods follow the control plane's spec or serve a spec pinned at render time.
/// The defaults match the Helm chart's (deploy/helm/slipway/values.yaml).
/// </summary>
public sealed class ServingDeploymentOptions
{
    /// <summary>UID of the <c>app</c> user of the .NET images the Dockerfile builds on.</summary>
    public const long AppUserId = 1654;

    /// <summary>The REST port of <c>slipway serve</c> (OIP, <c>/invocations</c>, <c>/health/*</c>, <c>/metrics</c>).</summary>
    public const int HttpPort = 8080;

    /// <summary>The OIP gRPC port of <c>slipway serve</c>.</summary>
    public const int GrpcPort = 8081;

    public string Namespace { get; set; } = "default";

    /// <summary>The Slipway image; the same default as the pipelines' Kubernetes executor.</summary>
    public string Image { get; set; } = KubernetesExecutorOptions.DefaultImage;

    /// <summary>Null (default) leaves Kubernetes' own default: Always for a <c>:latest</c> image, so a node never runs
    /// a stale cached one, and IfNotPresent for any other tag.</summary>
    public string? ImagePullPolicy { get; set; }

    /// <summary>The control plane as the pods reach it inside the cluster: the chart's Service for a release named <c>slipway</c>.</summary>
    public string ControlPlaneUrl { get; set; } = "http://slipway:5000";

    /// <summary>Fewest replicas the HorizontalPodAutoscaler keeps. The Deployment itself names no replica count: the
    /// autoscaler owns it, and a count in the Deployment would reset the scaled pods on every <c>kubectl apply</c>.</summary>
    public int MinReplicas { get; set; } = 2;

    public int MaxReplicas { get; set; } = 10;

    /// <summary>Average CPU utilisation, in percent of the CPU request, the autoscaler keeps the pods at.</summary>
    public int CpuTarget { get; set; } = 70;

    public string CpuRequest { get; set; } = "250m";

    public string MemoryRequest { get; set; } = "512Mi";

    public string CpuLimit { get; set; } = "1";

    public string MemoryLimit { get; set; } = "1Gi";

    /// <summary>How often the pods read the spec and resolve aliases again (<c>slipway serve --poll-interval</c>).</summary>
    public string PollInterval { get; set; } = "2s";

    /// <summary>
    /// A Secret with <c>MLFLOW_TRACKING_USERNAME</c> and <c>MLFLOW_TRACKING_PASSWORD</c> keys, for a control plane that
    /// asks for a login; null when it does not.
    /// </summary>
    public string? CredentialsSecret { get; set; }

    /// <summary>
    /// A Secret key holding an access token (<c>slw_…</c>) of a user who may read the endpoint and its models, written
    /// <c>NAME[:KEY]</c> (key <see cref="SecretKeyReference.DefaultTokenKey"/> by default); the pods send it as
    /// <c>MLFLOW_TRACKING_TOKEN</c>, which wins over <see cref="CredentialsSecret"/>. Null when not asked for.
    /// </summary>
    public string? TokenSecret { get; set; }

    /// <summary>The parsed <see cref="TokenSecret"/>; null when none is set or it does not parse (see <see cref="Validate"/>).</summary>
    public SecretKeyReference? TokenSecretKey =>
        TokenSecret is { } text && SecretKeyReference.TryParse(text, SecretKeyReference.DefaultTokenKey, out var reference) ? reference : null;

    /// <summary>
    /// Where sampled requests go (<c>slipway serve --inference-log-dir</c>): the control plane's <c>s3://</c> or
    /// <c>azblob://</c> artifact destination, where its monitors read them; null for no inference log.
    /// </summary>
    public string? InferenceLogDestination { get; set; }

    /// <summary>Secrets whose every key becomes an environment variable of the container (object-store credentials and settings).</summary>
    public List<string> EnvFromSecrets { get; } = [];

    /// <summary>Add a Prometheus Operator ServiceMonitor for the pods' <c>/metrics</c>.</summary>
    public bool ServiceMonitor { get; set; }

    /// <summary>
    /// Serve the spec as it is now from a ConfigMap instead of following the control plane's spec; model references
    /// (and alias moves) still resolve through the control plane.
    /// </summary>
    public bool PinSpec { get; set; }

    /// <summary>Every problem of the options, as messages naming the command-line flags.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!KubernetesNames.IsDnsLabel(Namespace))
            problems.Add($"--namespace must be a DNS label: lower-case letters, digits and '-', at most 63 (got '{Namespace}').");
        if (string.IsNullOrWhiteSpace(Image) || Image.Any(char.IsWhiteSpace))
            problems.Add($"--image must be an image reference without spaces (got '{Image}').");
        if (!Uri.TryCreate(ControlPlaneUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            problems.Add($"--control-plane must be the http(s) URL pods reach the control plane at (got '{ControlPlaneUrl}').");
        if (CredentialsSecret is { } secret && !IsDnsSubdomain(secret))
            problems.Add($"--credentials-secret must be a Secret name: lower-case letters, digits, '-' and '.' (got '{secret}').");
        if (TokenSecret is { } token && TokenSecretKey is null)
            problems.Add($"--token-secret must be NAME or NAME:KEY, a Secret name (lower-case letters, digits, '-' and '.') and a key "
                         + $"(letters, digits, '-', '_' and '.') (got '{token}').");
        foreach (var envSecret in EnvFromSecrets.Where(s => !IsDnsSubdomain(s)))
            problems.Add($"--env-from-secret must be a Secret name: lower-case letters, digits, '-' and '.' (got '{envSecret}').");
        if (InferenceLogDestination is { } log && (string.IsNullOrWhiteSpace(log) || log.Any(char.IsWhiteSpace)))
            problems.Add($"--inference-log-dir must be a folder or an s3:// or azblob:// URI without spaces (got '{log}').");
        if (MinReplicas < 1)
            problems.Add($"--min-replicas must be at least 1 (got {MinReplicas}).");
        if (MaxReplicas < MinReplicas)
            problems.Add($"--max-replicas ({MaxReplicas}) must not be less than --min-replicas ({MinReplicas}).");
        if (MaxReplicas > 1000)
            problems.Add($"--max-replicas must be at most 1000 (got {MaxReplicas}).");
        if (CpuTarget is < 1 or > 100)
            problems.Add($"--cpu-target must be a percentage from 1 to 100 (got {CpuTarget}).");
        foreach (var (flag, value) in new[] { ("--cpu-request", CpuRequest), ("--memory-request", MemoryRequest), ("--cpu-limit", CpuLimit), ("--memory-limit", MemoryLimit) })
        {
            if (!KubernetesNames.IsQuantity(value))
                problems.Add($"{flag} must be a Kubernetes quantity such as 500m, 2 or 1Gi (got '{value}').");
        }
        if (!Commands.ServeCommand.TryParseInterval(PollInterval, out _))
            problems.Add($"--poll-interval must be a positive number with ms, s or m, e.g. 2s (got '{PollInterval}').");
        return problems;
    }

    private static bool IsDnsSubdomain(string name) => SecretKeyReference.IsSecretName(name);
}
