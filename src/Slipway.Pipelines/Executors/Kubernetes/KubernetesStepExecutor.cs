using k8s;
using k8s.Autorest;
using k8s.Models;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors.Kubernetes;

/// <summary>
/// Runs <c>uses: command</c> and <c>uses: train</c> steps as Kubernetes Jobs: one Job per attempt
/// (the runner does the retries), polled with backoff until it completes or fails. The pod's log is
/// streamed into the step log (when the Job's backoff limit lets Kubernetes replace a failed pod, the
/// newest pod's log follows the old one's), outputs are read from the newest pod's termination message, and a
/// cancelled or timed-out step deletes its Job with background propagation so its pod goes too.
/// </summary>
public sealed partial class KubernetesStepExecutor : IStepExecutor
{
    /// <summary>Consecutive failed API calls tolerated while waiting before the step fails.</summary>
    private const int MaxConsecutiveApiErrors = 5;

    private static readonly TimeSpan s_deleteTimeout = TimeSpan.FromSeconds(15);

    private readonly IKubernetes _client;
    private readonly KubernetesExecutorOptions _options;
    private readonly KubernetesJobBuilder _builder;
    private readonly TimeProvider _time;

    /// <param name="client">The API client; <see cref="CreateClient"/> builds one from the options.</param>
    /// <param name="options">Namespace, image and the other Job settings.</param>
    /// <param name="timeProvider">Time for the polling delays.</param>
    /// <exception cref="ArgumentException">The options are not usable.</exception>
    public KubernetesStepExecutor(IKubernetes client, KubernetesExecutorOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options;
        _builder = new KubernetesJobBuilder(options);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// A client for the cluster the options name: <see cref="KubernetesExecutorOptions.KubeconfigPath"/>
    /// when set, else the pod's service account when running in a cluster, else the default kubeconfig.
    /// </summary>
    public static IKubernetes CreateClient(KubernetesExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        KubernetesClientConfiguration configuration;
        if (options.KubeconfigPath is not null)
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(options.KubeconfigPath, options.Context);
        else if (options.Context is null && KubernetesClientConfiguration.IsInCluster())
            configuration = KubernetesClientConfiguration.InClusterConfig();
        else
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(currentContext: options.Context);
        return new k8s.Kubernetes(configuration);
    }

    /// <inheritdoc />
    public async Task<StepResult> ExecuteAsync(StepInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        V1Job job;
        try
        {
            job = _builder.Build(invocation, invocation.Timeout);
        }
        catch (KubernetesManifestException e)
        {
            return StepResult.Failure(e.Message);
        }
        var name = job.Metadata.Name;
        var image = job.Spec.Template.Spec.Containers[0].Image;
        try
        {
            await _client.BatchV1.CreateNamespacedJobAsync(job, _options.Namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e)
        {
            return StepResult.Failure($"cannot create job {_options.Namespace}/{name}: {Describe(e)}");
        }
        catch (HttpRequestException e)
        {
            return StepResult.Failure($"cannot reach the Kubernetes API server to create job {name}: {e.Message}");
        }
        invocation.Log.Write(StepLogStream.System, $"created job {_options.Namespace}/{name} (image {image})");

        var watch = new JobWatch(invocation, name);
        try
        {
            var result = await WaitForJobAsync(watch, cancellationToken);
            if (result.DeleteJob)
                await DeleteJobAsync(watch, "it cannot succeed");
            return result.Result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await DeleteJobAsync(watch, "the step was cancelled or timed out");
            throw;
        }
        catch (Exception)
        {
            // Nobody would watch the Job any more (an HTTP timeout, a bug): it must not run on unseen.
            await DeleteJobAsync(watch, "the executor failed while waiting for it");
            throw;
        }
        finally
        {
            await watch.DisposeAsync();
        }
    }

    private async Task<(StepResult Result, bool DeleteJob)> WaitForJobAsync(JobWatch watch, CancellationToken cancellationToken)
    {
        var delay = _options.PollInterval;
        var apiErrors = 0;
        while (true)
        {
            V1Job job;
            IReadOnlyList<V1Pod> pods;
            try
            {
                job = await _client.BatchV1.ReadNamespacedJobAsync(watch.JobName, _options.Namespace, cancellationToken: cancellationToken);
                pods = await PodsAsync(watch.JobName, cancellationToken);
                apiErrors = 0;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                if (e is HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.NotFound })
                    return (StepResult.Failure($"job {watch.JobName} was deleted by someone else before it finished"), false);
                if (++apiErrors >= MaxConsecutiveApiErrors)
                    return (StepResult.Failure($"lost the Kubernetes API server while waiting for job {watch.JobName}: {Describe(e)}"), true);
                watch.Invocation.Log.Write(StepLogStream.System, $"Kubernetes API error ({Describe(e)}); retrying");
                await Task.Delay(delay, _time, cancellationToken);
                continue;
            }

            await FollowPodsAsync(watch, pods, cancellationToken);
            var pod = pods.LastOrDefault();

            if (JobCondition(job, "Complete") is not null || job.Status?.Succeeded > 0)
                return (await SucceededAsync(watch, cancellationToken), false);
            if (JobCondition(job, "Failed") is { } failed)
                return (await FailedAsync(watch, job, failed, cancellationToken), false);
            if (pod is not null && CannotStart(pod) is { } reason)
                return (StepResult.Failure(reason), true);
            if (pod is not null)
                NotePending(watch, pod);

            await Task.Delay(delay, _time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxPollInterval.Ticks));
        }
    }

    private async Task<StepResult> SucceededAsync(JobWatch watch, CancellationToken cancellationToken)
    {
        var pods = await PodsAsync(watch.JobName, cancellationToken);
        var log = await FinishLogAsync(watch, pods, cancellationToken);
        var pod = pods.LastOrDefault();
        // The newest pod is the one that succeeded: its termination message and log hold the outputs.
        var terminated = pod is null ? null : Terminated(pod);
        var message = terminated?.Message ?? "";
        if (message.Length >= TerminationMessageLimit)
        {
            watch.Invocation.Log.Write(StepLogStream.System,
                $"the termination message is {message.Length} bytes, Kubernetes' limit: outputs past it are lost");
        }
        var outputs = new Dictionary<string, string>(OutputsFileParser.Parse(message), StringComparer.Ordinal);
        if (watch.Invocation.Uses == StepKinds.Train)
        {
            foreach (var (key, value) in TrainOutcome.Parse(log, watch.Invocation.With.GetValueOrDefault("task")))
                outputs.TryAdd(key, value);
        }
        watch.Invocation.Log.Write(StepLogStream.System, $"job {watch.JobName} completed");
        return StepResult.Success(outputs);
    }

    private async Task<StepResult> FailedAsync(JobWatch watch, V1Job job, V1JobCondition failed, CancellationToken cancellationToken)
    {
        var pods = await PodsAsync(watch.JobName, cancellationToken);
        await FinishLogAsync(watch, pods, cancellationToken);
        var pod = pods.LastOrDefault();
        if (failed.Reason == "DeadlineExceeded")
        {
            var deadline = job.Spec?.ActiveDeadlineSeconds is { } seconds ? $" of {seconds}s" : "";
            return StepResult.Failure($"job {watch.JobName} ran past its deadline{deadline} and was stopped (DeadlineExceeded)");
        }
        if (pod is not null && Terminated(pod) is { } terminated && terminated.ExitCode != 0)
            return StepResult.Failure(ExitMessage(watch.Invocation, pod, terminated));
        if (pod?.Status?.Phase == "Failed" && pod.Status.Reason is { } podReason)
            return StepResult.Failure($"pod {pod.Metadata.Name} failed: {podReason}: {pod.Status.Message}");
        return StepResult.Failure($"job {watch.JobName} failed: {failed.Reason}: {failed.Message}".TrimEnd(':', ' '));
    }

    private async Task DeleteJobAsync(JobWatch watch, string why)
    {
        // The caller's token has fired (or does not matter any more): the delete gets its own time.
        using var timeout = new CancellationTokenSource(s_deleteTimeout, _time);
        try
        {
            await _client.BatchV1.DeleteNamespacedJobAsync(
                watch.JobName, _options.Namespace, propagationPolicy: "Background", cancellationToken: timeout.Token);
            watch.Invocation.Log.Write(StepLogStream.System, $"deleted job {_options.Namespace}/{watch.JobName}: {why}");
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            watch.Invocation.Log.Write(StepLogStream.System,
                $"could not delete job {_options.Namespace}/{watch.JobName} ({Describe(e)}); delete it by hand");
        }
    }

    private static V1JobCondition? JobCondition(V1Job job, string type) =>
        job.Status?.Conditions?.FirstOrDefault(c => c.Type == type && c.Status == "True");

    private static string Describe(Exception e) => e switch
    {
        HttpOperationException { Response: { } response } =>
            $"{(int)response.StatusCode} {ApiStatusMessage(response.Content) ?? response.ReasonPhrase}",
        _ => e.Message,
    };

    private static string? ApiStatusMessage(string? content)
    {
        if (string.IsNullOrEmpty(content))
            return null;
        try
        {
            return KubernetesJson.Deserialize<V1Status>(content)?.Message ?? content;
        }
        catch (System.Text.Json.JsonException)
        {
            return content;
        }
    }
}
