using k8s;
using k8s.Models;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors.Kubernetes;

public sealed partial class KubernetesStepExecutor
{
    /// <summary>The most Kubernetes keeps of one container's termination message.</summary>
    public const int TerminationMessageLimit = 4096;

    /// <summary>Waiting reasons after which the container will never start without a change to the step.</summary>
    private static readonly Dictionary<string, string> s_fatalWaitingReasons = new(StringComparer.Ordinal)
    {
        ["ImagePullBackOff"] = "its image cannot be pulled",
        ["ErrImageNeverPull"] = "its image is not on the node and the pull policy is Never",
        ["InvalidImageName"] = "its image name is invalid",
        ["CreateContainerConfigError"] = "its configuration is invalid (a missing secret or config map?)",
        ["CreateContainerError"] = "the container runtime cannot create it",
    };

    private async Task<V1Pod?> LatestPodAsync(string jobName, CancellationToken cancellationToken)
    {
        var pods = await _client.CoreV1.ListNamespacedPodAsync(
            _options.Namespace, labelSelector: $"{KubernetesJobBuilder.JobNameLabel}={jobName}", cancellationToken: cancellationToken);
        // With backoffLimit 0 there is one pod; with more, the newest one tells the latest story.
        return pods.Items.OrderByDescending(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue).FirstOrDefault();
    }

    private static V1ContainerStatus? StepContainer(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == KubernetesJobBuilder.ContainerName);

    private static bool HasStarted(V1Pod pod) =>
        StepContainer(pod)?.State is { } state && (state.Running is not null || state.Terminated is not null);

    private static V1ContainerStateTerminated? Terminated(V1Pod pod) => StepContainer(pod)?.State?.Terminated;

    private static string? CannotStart(V1Pod pod)
    {
        var waiting = StepContainer(pod)?.State?.Waiting;
        if (waiting?.Reason is null || !s_fatalWaitingReasons.TryGetValue(waiting.Reason, out var why))
            return null;
        var image = pod.Spec?.Containers?.FirstOrDefault()?.Image;
        var detail = string.IsNullOrWhiteSpace(waiting.Message) ? "" : $": {waiting.Message}";
        return $"the step's container cannot start, {why} (image {image}; {waiting.Reason}{detail})";
    }

    private static void NotePending(JobWatch watch, V1Pod pod)
    {
        var unschedulable = pod.Status?.Conditions?.FirstOrDefault(
            c => c.Type == "PodScheduled" && c.Status == "False" && c.Reason == "Unschedulable");
        if (unschedulable is not null)
            watch.NoteOnce($"pod {pod.Metadata.Name} cannot be scheduled yet: {unschedulable.Message}");
        var waiting = StepContainer(pod)?.State?.Waiting;
        if (waiting?.Reason is { } reason && reason != "ContainerCreating")
            watch.NoteOnce($"pod {pod.Metadata.Name} is waiting: {reason} {waiting.Message}".TrimEnd());
    }

    private static string ExitMessage(StepInvocation invocation, V1Pod pod, V1ContainerStateTerminated terminated)
    {
        var program = invocation.Uses == Definition.StepKinds.Train ? "slipway train"
            : invocation.Run.Count > 0 ? invocation.Run[0]
            : KubernetesJobBuilder.ContainerName;
        var reason = terminated.Reason switch
        {
            null or "Error" or "Completed" => "",
            "OOMKilled" => " (OOMKilled: it ran out of memory; raise the memory limit)",
            var other => $" ({other})",
        };
        return $"'{program}' exited with code {terminated.ExitCode}{reason} in pod {pod.Metadata.Name}";
    }

    private async Task<Stream> OpenLogAsync(string podName, bool follow, CancellationToken cancellationToken) =>
        await _client.CoreV1.ReadNamespacedPodLogAsync(
            podName, _options.Namespace, container: KubernetesJobBuilder.ContainerName, follow: follow,
            cancellationToken: cancellationToken);

    /// <summary>
    /// Waits for the streamed log to end and, when streaming never started or broke off, reads the
    /// rest of the log in one piece. Returns every line, for steps whose outcome is on stdout.
    /// </summary>
    private async Task<IReadOnlyList<string>> FinishLogAsync(JobWatch watch, V1Pod? pod, CancellationToken cancellationToken)
    {
        var complete = await watch.StopStreamingAsync(s_logDrainTimeout, _time);
        if (!complete && pod is not null && HasStarted(pod))
        {
            try
            {
                await using var stream = await OpenLogAsync(pod.Metadata.Name, follow: false, cancellationToken);
                await watch.CopyRemainingAsync(stream, cancellationToken);
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or IOException)
            {
                watch.Invocation.Log.Write(StepLogStream.System, $"could not read the log of pod {pod.Metadata.Name}: {Describe(e)}");
            }
        }
        return watch.Lines;
    }

    private static readonly TimeSpan s_logDrainTimeout = TimeSpan.FromSeconds(10);
}
