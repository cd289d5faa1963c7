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

    /// <summary>The Job's pods, oldest first: with a backoff limit above 0 each failed pod is followed by a new one.</summary>
    private async Task<IReadOnlyList<V1Pod>> PodsAsync(string jobName, CancellationToken cancellationToken)
    {
        var pods = await _client.CoreV1.ListNamespacedPodAsync(
            _options.Namespace, labelSelector: $"{KubernetesJobBuilder.JobNameLabel}={jobName}", cancellationToken: cancellationToken);
        return [.. pods.Items.OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue)];
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
    /// Follows the Job's pods in order, ending with the newest: a pod not followed yet (Kubernetes
    /// replaced a failed one, perhaps between two polls) takes over once the log of the one before it
    /// is finished, and its own log is streamed once its container has started.
    /// </summary>
    private async Task FollowPodsAsync(JobWatch watch, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        for (var i = 0; i < pods.Count; i++)
        {
            var pod = pods[i];
            var name = pod.Metadata.Name;
            if (name != watch.PodName)
            {
                if (watch.WasFollowed(name))
                    continue;
                var previous = watch.PodName;
                if (previous is not null)
                    await FinishPodLogAsync(watch, cancellationToken);
                watch.FollowPod(name);
                if (previous is not null)
                    watch.Invocation.Log.Write(StepLogStream.System, $"pod {previous} replaced by {name} (attempt {i + 1})");
            }
            if (HasStarted(pod))
                watch.StartStreaming(token => OpenLogAsync(name, follow: true, token));
        }
    }

    /// <summary>
    /// Finishes the newest pod's log and returns the lines a train step's outcome is read from
    /// (only that pod's, and only its tail).
    /// </summary>
    private async Task<IReadOnlyList<string>> FinishLogAsync(JobWatch watch, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        await FollowPodsAsync(watch, pods, cancellationToken);
        await FinishPodLogAsync(watch, cancellationToken);
        return watch.OutcomeLines;
    }

    /// <summary>
    /// Waits for the followed pod's streamed log to end and, when the stream broke off or did not end
    /// in time, reads the rest of that pod's log in one piece.
    /// </summary>
    private async Task FinishPodLogAsync(JobWatch watch, CancellationToken cancellationToken)
    {
        if (!watch.IsStreaming || watch.PodName is not { } podName)
            return;
        if (await watch.StopStreamingAsync(s_logDrainTimeout, _time))
            return;
        try
        {
            await using var stream = await OpenLogAsync(podName, follow: false, cancellationToken);
            await watch.CopyRemainingAsync(stream, cancellationToken);
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or IOException)
        {
            watch.Invocation.Log.Write(StepLogStream.System, $"could not read the log of pod {podName}: {Describe(e)}");
        }
    }

    private static readonly TimeSpan s_logDrainTimeout = TimeSpan.FromSeconds(10);
}
