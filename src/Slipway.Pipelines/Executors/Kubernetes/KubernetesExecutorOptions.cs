namespace Slipway.Pipelines.Executors.Kubernetes;

/// <summary>
/// Where and how pipeline steps run as Kubernetes Jobs. The defaults suit a cluster that can pull
/// the published Slipway image; every Job the options produce can be inspected without a cluster
/// through <see cref="KubernetesDryRun"/>.
/// </summary>
public sealed class KubernetesExecutorOptions
{
    /// <summary>
    /// The name under which the Slipway image (with the <c>slipway</c> command that <c>uses: train</c> steps run)
    /// is to be published; nothing builds it yet, so deployments set <see cref="Image"/>.
    /// </summary>
    public const string DefaultImage = "ghcr.io/slipway/slipway:latest";

    /// <summary>The namespace Jobs are created in.</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>The image of every step unless the step sets <c>with: {image: …}</c>.</summary>
    public string Image { get; set; } = DefaultImage;

    /// <summary><c>Always</c>, <c>IfNotPresent</c> or <c>Never</c>; null leaves Kubernetes' default.</summary>
    public string? ImagePullPolicy { get; set; } = "IfNotPresent";

    /// <summary>Secrets holding registry credentials for private images.</summary>
    public IList<string> ImagePullSecrets { get; } = [];

    /// <summary>The service account the step's pod runs as; null uses the namespace's default.</summary>
    public string? ServiceAccountName { get; set; }

    /// <summary>Resource requests of the step container, as Kubernetes quantities (<c>cpu: 500m</c>).</summary>
    public IDictionary<string, string> ResourceRequests { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["cpu"] = "500m", ["memory"] = "512Mi" };

    /// <summary>Resource limits of the step container. Only memory is limited by default: a CPU limit throttles training.</summary>
    public IDictionary<string, string> ResourceLimits { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["memory"] = "4Gi" };

    /// <summary>How long a finished Job (and its pod and logs) stays before Kubernetes deletes it; null keeps it.</summary>
    public int? TtlSecondsAfterFinished { get; set; } = 3600;

    /// <summary>
    /// Pod retries Kubernetes itself makes. 0 by default because the pipeline runner does the
    /// retries (<c>retries:</c>), each as a new Job whose name carries the attempt number.
    /// </summary>
    public int BackoffLimit { get; set; }

    /// <summary>
    /// The Job's <c>activeDeadlineSeconds</c> when the step has no <c>timeout:</c>; null sets none.
    /// A step's timeout always wins, so that a Job whose executor died still stops.
    /// </summary>
    public TimeSpan? DefaultActiveDeadline { get; set; }

    /// <summary>A kubeconfig file; null uses the in-cluster service account when running in a pod, else <c>$KUBECONFIG</c> or <c>~/.kube/config</c>.</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>The kubeconfig context; null uses the file's current context.</summary>
    public string? Context { get; set; }

    /// <summary>Extra labels on every Job and pod (for cost allocation, network policies, …).</summary>
    public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Extra annotations on every Job.</summary>
    public IDictionary<string, string> Annotations { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Node labels the pods must match (a GPU pool, say); empty leaves scheduling free.</summary>
    public IDictionary<string, string> NodeSelector { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The tracking server as seen from inside the cluster. The run's own URI is often
    /// <c>http://127.0.0.1:5000</c>, which a pod cannot reach; null passes the run's URI unchanged.
    /// </summary>
    public string? TrackingUri { get; set; }

    /// <summary>The executable that runs <c>slipway train</c> inside the image.</summary>
    public string SlipwayExecutable { get; set; } = "slipway";

    /// <summary>The first delay between two looks at a running Job; it doubles up to <see cref="MaxPollInterval"/>.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay between two looks at a running Job.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Every problem with the options, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!KubernetesNames.IsDnsLabel(Namespace))
            problems.Add($"namespace '{Namespace}' is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)");
        if (string.IsNullOrWhiteSpace(Image))
            problems.Add("image is empty");
        if (ImagePullPolicy is not (null or "Always" or "IfNotPresent" or "Never"))
            problems.Add($"image pull policy '{ImagePullPolicy}' is not Always, IfNotPresent or Never");
        if (BackoffLimit < 0)
            problems.Add("backoff limit must not be negative");
        if (TtlSecondsAfterFinished < 0)
            problems.Add("ttlSecondsAfterFinished must not be negative");
        if (PollInterval <= TimeSpan.Zero || MaxPollInterval < PollInterval)
            problems.Add("poll intervals must be positive, and the maximum at least the first");
        foreach (var (name, value) in ResourceRequests.Concat(ResourceLimits))
        {
            if (!KubernetesNames.IsQuantity(value))
                problems.Add($"resource {name}: '{value}' is not a Kubernetes quantity such as 500m, 2 or 4Gi");
        }
        foreach (var (key, value) in Labels)
        {
            if (!KubernetesNames.IsLabelValue(value))
                problems.Add($"label {key}: '{value}' is not a valid label value");
        }
        return problems;
    }
}
