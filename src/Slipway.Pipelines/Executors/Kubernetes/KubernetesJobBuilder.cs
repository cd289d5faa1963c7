using System.Globalization;
using k8s.Models;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors.Kubernetes;

/// <summary>
/// Turns one attempt of a step into the Kubernetes Job that runs it. <c>uses: command</c> runs the
/// step's <c>run</c> argv as the container's command (no shell, as locally); <c>uses: train</c> runs
/// <c>slipway train</c> in the Slipway image with flags taken from <c>with:</c>. <c>with: {image: …}</c>
/// picks another image for either kind. Outputs travel back through the termination message:
/// <c>SLIPWAY_OUTPUTS</c> names <see cref="TerminationMessagePath"/>, which Kubernetes returns in the
/// pod status once the container ends.
/// </summary>
public sealed partial class KubernetesJobBuilder
{
    /// <summary>The name of the one container in a step's pod.</summary>
    public const string ContainerName = "step";

    /// <summary>Where the container writes its outputs; Kubernetes reads at most 4096 bytes of it.</summary>
    public const string TerminationMessagePath = "/dev/termination-log";

    /// <summary>The <c>with:</c> key that overrides the image of one step.</summary>
    public const string ImageKey = "image";

    /// <summary>Label of the tool that manages the Jobs.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>Labels (sanitised values) and annotations (exact values) identifying a step's Job.</summary>
    public const string PipelineLabel = "slipway.dev/pipeline";

    /// <inheritdoc cref="PipelineLabel"/>
    public const string RunIdLabel = "slipway.dev/run-id";

    /// <inheritdoc cref="PipelineLabel"/>
    public const string StepLabel = "slipway.dev/step";

    /// <inheritdoc cref="PipelineLabel"/>
    public const string AttemptLabel = "slipway.dev/attempt";

    /// <summary>Label on the pod template naming its Job, which the executor selects pods by.</summary>
    public const string JobNameLabel = "slipway.dev/job-name";

    private readonly KubernetesExecutorOptions _options;

    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public KubernetesJobBuilder(KubernetesExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new ArgumentException("invalid Kubernetes executor options: " + string.Join("; ", problems), nameof(options));
        _options = options;
    }

    /// <summary>Whether steps of this kind run as Jobs; the other built-in kinds are API calls made by the control plane.</summary>
    public static bool RunsAsJob(string uses) => uses is StepKinds.Command or StepKinds.Train;

    /// <summary>The Job for one attempt of a step.</summary>
    /// <param name="invocation">The step with its expressions resolved.</param>
    /// <param name="timeout">The step's per-attempt timeout, which becomes <c>activeDeadlineSeconds</c>.</param>
    /// <exception cref="KubernetesManifestException">The step cannot run as a Job (no <c>run</c>, an unknown <c>with:</c> key, …).</exception>
    public V1Job Build(StepInvocation invocation, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var name = KubernetesNames.JobName(invocation.PipelineName, invocation.RunId, invocation.StepId, invocation.Attempt);
        var labels = Labels(invocation);
        var podLabels = new Dictionary<string, string>(labels, StringComparer.Ordinal) { [JobNameLabel] = name };
        var deadline = timeout ?? _options.DefaultActiveDeadline;
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = _options.Namespace,
                Labels = labels,
                Annotations = Annotations(invocation),
            },
            Spec = new V1JobSpec
            {
                BackoffLimit = _options.BackoffLimit,
                ActiveDeadlineSeconds = deadline is { } d ? Math.Max(1, (long)Math.Ceiling(d.TotalSeconds)) : null,
                TtlSecondsAfterFinished = _options.TtlSecondsAfterFinished,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = podLabels },
                    Spec = PodSpec(invocation),
                },
            },
        };
    }

    private V1PodSpec PodSpec(StepInvocation invocation) => new()
    {
        RestartPolicy = "Never",
        ServiceAccountName = _options.ServiceAccountName,
        ImagePullSecrets = _options.ImagePullSecrets.Count == 0
            ? null
            : _options.ImagePullSecrets.Select(s => new V1LocalObjectReference { Name = s }).ToList(),
        NodeSelector = _options.NodeSelector.Count == 0
            ? null
            : new Dictionary<string, string>(_options.NodeSelector, StringComparer.Ordinal),
        Containers = [Container(invocation)],
    };

    private V1Container Container(StepInvocation invocation) => new()
    {
        Name = ContainerName,
        Image = Image(invocation),
        ImagePullPolicy = _options.ImagePullPolicy,
        Command = Command(invocation),
        Env = Environment(invocation),
        Resources = new V1ResourceRequirements
        {
            Requests = Quantities(_options.ResourceRequests),
            Limits = Quantities(_options.ResourceLimits),
        },
        TerminationMessagePath = TerminationMessagePath,
        // "File" and not "FallbackToLogsOnError": the message is the outputs file and nothing else,
        // so a failed step's log tail is never mistaken for outputs.
        TerminationMessagePolicy = "File",
    };

    private string Image(StepInvocation invocation) =>
        invocation.With.TryGetValue(ImageKey, out var image) && !string.IsNullOrWhiteSpace(image)
            ? image.Trim()
            : _options.Image;

    private List<string> Command(StepInvocation invocation) => invocation.Uses switch
    {
        StepKinds.Command when invocation.Run.Count == 0 =>
            throw new KubernetesManifestException($"step '{invocation.StepId}': run names no executable"),
        StepKinds.Command => [.. invocation.Run],
        StepKinds.Train => TrainCommand(invocation),
        _ => throw new KubernetesManifestException(
            $"step '{invocation.StepId}': uses: {invocation.Uses} runs in the Slipway control plane, not as a Kubernetes Job"),
    };

    private List<V1EnvVar> Environment(StepInvocation invocation)
    {
        var env = new List<V1EnvVar>();
        var trackingUri = _options.TrackingUri ?? invocation.TrackingUri;
        if (trackingUri is not null)
            env.Add(EnvVar("MLFLOW_TRACKING_URI", trackingUri));
        if (invocation.MlflowRunId is not null)
            env.Add(EnvVar("MLFLOW_RUN_ID", invocation.MlflowRunId));
        env.Add(EnvVar("SLIPWAY_RUN_ID", invocation.RunId));
        env.Add(EnvVar("SLIPWAY_STEP_ID", invocation.StepId));
        env.Add(EnvVar(LocalProcessExecutor.OutputsVariable, TerminationMessagePath));
        // The step's own env comes last and wins, as it does for local processes.
        foreach (var (name, value) in invocation.Env.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            env.RemoveAll(e => e.Name == name);
            env.Add(EnvVar(name, value));
        }
        return env;
    }

    private static V1EnvVar EnvVar(string name, string value) => new() { Name = name, Value = value };

    private Dictionary<string, string> Labels(StepInvocation invocation) =>
        new(_options.Labels, StringComparer.Ordinal)
        {
            [ManagedByLabel] = "slipway",
            [PipelineLabel] = KubernetesNames.LabelValue(invocation.PipelineName),
            [RunIdLabel] = KubernetesNames.LabelValue(invocation.RunId),
            [StepLabel] = KubernetesNames.LabelValue(invocation.StepId),
            [AttemptLabel] = invocation.Attempt.ToString(CultureInfo.InvariantCulture),
        };

    private Dictionary<string, string> Annotations(StepInvocation invocation) =>
        new(_options.Annotations, StringComparer.Ordinal)
        {
            // Labels lose characters and length; the annotations keep the exact names.
            [PipelineLabel] = invocation.PipelineName,
            [RunIdLabel] = invocation.RunId,
            [StepLabel] = invocation.StepId,
            ["slipway.dev/uses"] = invocation.Uses,
        };

    private static Dictionary<string, ResourceQuantity>? Quantities(IDictionary<string, string> values) =>
        values.Count == 0
            ? null
            : values.ToDictionary(v => v.Key, v => new ResourceQuantity(v.Value), StringComparer.Ordinal);
}

/// <summary>A step that cannot be expressed as a Kubernetes Job; the message says why.</summary>
public sealed class KubernetesManifestException(string message) : Exception(message);
