using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Slipway.Pipelines.Tests.Kubernetes;

/// <summary>
/// What the fake cluster does with a Job: how its pod's container ends (or that it never starts or
/// never ends), what it logs and what it leaves in its termination message.
/// </summary>
internal sealed record FakeJobScript
{
    public IReadOnlyList<string> Log { get; init; } = [];
    /// <summary>The container's exit code; null keeps it running until the Job is deleted.</summary>
    public int? ExitCode { get; init; } = 0;
    public string TerminationMessage { get; init; } = "";
    /// <summary>A waiting reason (ImagePullBackOff) that keeps the container from ever starting.</summary>
    public string? WaitingReason { get; init; }
    /// <summary>The Job's Failed condition reason; BackoffLimitExceeded when the container fails.</summary>
    public string? JobFailureReason { get; init; }
    /// <summary>Following the log answers 500, as when a kubelet is unreachable; a plain read still works.</summary>
    public bool FollowFails { get; init; }
    /// <summary>Reads of the Job before the container ends.</summary>
    public int PollsBeforeEnd { get; init; } = 2;
    /// <summary>
    /// The pod Kubernetes starts next when this one's container fails (a Job with a backoff limit
    /// above 0); null lets the Job fail.
    /// </summary>
    public FakeJobScript? NextPod { get; init; }
}

/// <summary>
/// An in-process stand-in for the Kubernetes API server on 127.0.0.1, answering only the routes the
/// executor calls (create, read and delete a Job; list pods by label; read a pod's log, following it
/// or not), with a Job's pod moving from pending to running to terminated as the Job is polled. No
/// real cluster exists on the machines the tests run on.
/// </summary>
internal sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeKubernetesApi(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentDictionary<string, FakeJob> Jobs { get; } = new(StringComparer.Ordinal);

    /// <summary>Every Job ever created, in order, including deleted ones.</summary>
    public ConcurrentQueue<V1Job> Created { get; } = new();

    /// <summary>Each delete: the Job's name and the propagation policy it asked for.</summary>
    public ConcurrentQueue<(string Name, string? PropagationPolicy)> Deletions { get; } = new();

    public Func<V1Job, FakeJobScript> Script { get; set; } = _ => new FakeJobScript();

    public static async Task<FakeKubernetesApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new FakeKubernetesApi(app);
        api.MapRoutes();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        api.BaseAddress = new Uri(address);
        return api;
    }

    public IKubernetes CreateClient() =>
        new k8s.Kubernetes(new KubernetesClientConfiguration { Host = BaseAddress.ToString() });

    public async ValueTask DisposeAsync()
    {
        foreach (var job in Jobs.Values)
            job.EndAll();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void MapRoutes()
    {
        _app.MapPost("/apis/batch/v1/namespaces/{ns}/jobs", async (string ns, HttpRequest request) =>
        {
            if (ns == "forbidden")
                return Status(403, "Forbidden", $"jobs.batch is forbidden: User \"system:serviceaccount:slipway:runner\" cannot create resource \"jobs\" in the namespace \"{ns}\"");
            using var reader = new StreamReader(request.Body);
            var job = KubernetesJson.Deserialize<V1Job>(await reader.ReadToEndAsync());
            if (!Jobs.TryAdd(job.Metadata.Name, new FakeJob(job, Script(job))))
                return Status(409, "AlreadyExists", $"jobs.batch \"{job.Metadata.Name}\" already exists");
            Created.Enqueue(job);
            return Json(201, job);
        });
        _app.MapGet("/apis/batch/v1/namespaces/{ns}/jobs/{name}", (string ns, string name) =>
            Jobs.TryGetValue(name, out var job) ? Json(200, job.Poll()) : NotFound(name));
        _app.MapDelete("/apis/batch/v1/namespaces/{ns}/jobs/{name}", (string ns, string name, HttpRequest request) =>
        {
            Deletions.Enqueue((name, request.Query["propagationPolicy"].FirstOrDefault()));
            if (!Jobs.TryRemove(name, out var job))
                return NotFound(name);
            job.EndAll();
            return Json(200, job.Job);
        });
        _app.MapGet("/api/v1/namespaces/{ns}/pods", (string ns, string? labelSelector) =>
        {
            var (key, value) = labelSelector?.Split('=', 2) is [var k, var v] ? (k, v) : ("", "");
            var pods = Jobs.Values.SelectMany(j => j.Pods()).Where(p => p.Metadata.Labels.TryGetValue(key, out var found) && found == value);
            return Json(200, new V1PodList { ApiVersion = "v1", Kind = "PodList", Items = [.. pods], Metadata = new V1ListMeta() });
        });
        _app.MapGet("/api/v1/namespaces/{ns}/pods/{name}/log", async (string ns, string name, bool? follow, HttpContext context) =>
        {
            var pod = Jobs.Values.Select(j => j.FindPod(name)).FirstOrDefault(p => p is not null);
            if (pod is null)
            {
                await NotFound(name).ExecuteAsync(context);
                return;
            }
            if (follow == true && pod.Script.FollowFails)
            {
                await Status(500, "InternalError", "error dialing backend: the kubelet is unreachable").ExecuteAsync(context);
                return;
            }
            context.Response.ContentType = "text/plain";
            foreach (var line in pod.Script.Log)
                await context.Response.WriteAsync(line + "\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            // Following a running container holds the stream open until the container ends.
            if (follow == true)
                await pod.Ended.Task.WaitAsync(context.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        });
    }

    private static IResult Json(int status, object value) =>
        Results.Content(KubernetesJson.Serialize(value), "application/json", statusCode: status);

    private static IResult NotFound(string name) => Status(404, "NotFound", $"\"{name}\" not found");

    // KubernetesClient cannot write a V1Status (its converter only reads), so it is written by hand.
    private static IResult Status(int code, string reason, string message) => Results.Content(
        System.Text.Json.JsonSerializer.Serialize(new { apiVersion = "v1", kind = "Status", status = "Failure", reason, message, code }),
        "application/json", statusCode: code);
}

/// <summary>One pod of a fake Job: its script, how often the Job was read while it was the newest, whether it ended.</summary>
internal sealed class FakePod(string name, FakeJobScript script, DateTime created)
{
    public string Name { get; } = name;
    public FakeJobScript Script { get; } = script;
    public DateTime Created { get; } = created;
    public int Polls { get; set; }
    public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// One Job in the fake cluster and its pods: one, or more when a pod's script names the pod that
/// replaces it after it fails (Kubernetes' retries under a backoff limit).
/// </summary>
internal sealed class FakeJob
{
    private static readonly string[] s_podSuffixes = ["x7k2p", "q3m8w", "t5n1z", "h9c4d"];
    private readonly Lock _lock = new();
    private readonly List<FakePod> _pods = [];
    private readonly DateTime _created = DateTime.UtcNow;
    private int _failedPods;

    public FakeJob(V1Job job, FakeJobScript script)
    {
        Job = job;
        AddPod(script);
    }

    public V1Job Job { get; }

    /// <summary>Pods in the order they were created.</summary>
    public IReadOnlyList<FakePod> PodList
    {
        get
        {
            lock (_lock)
                return [.. _pods];
        }
    }

    public FakePod? FindPod(string name)
    {
        lock (_lock)
            return _pods.FirstOrDefault(p => p.Name == name);
    }

    public void EndAll()
    {
        foreach (var pod in PodList)
            pod.Ended.TrySetResult();
    }

    /// <summary>A read of the Job moves its newest pod one step on; a failed pod with a successor is replaced.</summary>
    public V1Job Poll()
    {
        lock (_lock)
        {
            var pod = _pods[^1];
            var script = pod.Script;
            pod.Polls++;
            var ended = script.WaitingReason is null && script.ExitCode is not null && pod.Polls >= script.PollsBeforeEnd;
            if (ended)
                pod.Ended.TrySetResult();
            if (ended && script.ExitCode != 0 && script.JobFailureReason is null && script.NextPod is { } next
                && _failedPods < (Job.Spec.BackoffLimit ?? 6))
            {
                _failedPods++;
                AddPod(next);
                Job.Status = new V1JobStatus { Active = 1, Failed = _failedPods, Conditions = [] };
                return Job;
            }
            var conditions = new List<V1JobCondition>();
            if (ended && script.ExitCode == 0 && script.JobFailureReason is null)
                conditions.Add(new V1JobCondition { Type = "Complete", Status = "True" });
            else if (ended)
                conditions.Add(new V1JobCondition { Type = "Failed", Status = "True", Reason = script.JobFailureReason ?? "BackoffLimitExceeded", Message = "Job has reached the specified backoff limit" });
            var failed = _failedPods + (ended && conditions[0].Type == "Failed" ? 1 : 0);
            Job.Status = new V1JobStatus
            {
                Active = ended ? null : 1,
                Succeeded = ended && conditions[0].Type == "Complete" ? 1 : null,
                Failed = failed > 0 ? failed : null,
                Conditions = conditions,
            };
            return Job;
        }
    }

    public IReadOnlyList<V1Pod> Pods()
    {
        lock (_lock)
            return [.. _pods.Select(ToPod)];
    }

    private void AddPod(FakeJobScript script)
    {
        var index = _pods.Count;
        var suffix = index < s_podSuffixes.Length ? s_podSuffixes[index] : $"p{index}";
        // Whole seconds apart: the API's timestamps have second precision.
        _pods.Add(new FakePod($"{Job.Metadata.Name}-{suffix}", script, _created.AddSeconds(index)));
    }

    private V1Pod ToPod(FakePod pod)
    {
        var script = pod.Script;
        var state = new V1ContainerState();
        var phase = "Pending";
        if (script.WaitingReason is { } reason)
            state.Waiting = new V1ContainerStateWaiting { Reason = reason, Message = $"Back-off pulling image \"{Job.Spec.Template.Spec.Containers[0].Image}\"" };
        else if (pod.Polls == 0)
            state.Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" };
        else if (pod.Ended.Task.IsCompleted && script.ExitCode is { } exitCode && script.JobFailureReason is null)
        {
            phase = exitCode == 0 ? "Succeeded" : "Failed";
            state.Terminated = new V1ContainerStateTerminated
            {
                ExitCode = exitCode,
                Reason = exitCode == 0 ? "Completed" : exitCode == 137 ? "OOMKilled" : "Error",
                Message = script.TerminationMessage,
            };
        }
        else
        {
            phase = "Running";
            state.Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow };
        }
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = pod.Name,
                NamespaceProperty = Job.Metadata.NamespaceProperty,
                Labels = Job.Spec.Template.Metadata.Labels,
                CreationTimestamp = pod.Created,
            },
            Spec = Job.Spec.Template.Spec,
            Status = new V1PodStatus
            {
                Phase = phase,
                ContainerStatuses = [new V1ContainerStatus { Name = "step", Image = Job.Spec.Template.Spec.Containers[0].Image, ImageID = "", Ready = phase == "Running", RestartCount = 0, State = state }],
            },
        };
    }
}
