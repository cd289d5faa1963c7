using Slipway.Pipelines.Executors.Kubernetes;

namespace Slipway.Pipelines.Server;

/// <summary>Settings of server-side pipelines (<c>Slipway:Pipelines</c>).</summary>
public sealed class PipelineServerOptions
{
    /// <summary>
    /// Where runs get their per-run working folder (<c>&lt;dir&gt;/&lt;run id&gt;</c>); null for
    /// <see cref="DefaultWorkDirectory"/> of the server's artifact folder.
    /// </summary>
    public string? WorkDirectory { get; set; }

    /// <summary>How often queued runs, cancellations and (when <see cref="SchedulerEnabled"/>) schedules are checked.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a <c>running</c> run may go without a heartbeat before any replica fails it (its replica died or stopped
    /// responding). A replica refreshes the heartbeats of its runs every <see cref="PollInterval"/>; null for
    /// <see cref="EffectiveStaleRunAfter"/>'s default of ten poll intervals, at least 30 seconds.
    /// </summary>
    public TimeSpan? StaleRunAfter { get; set; }

    /// <summary><see cref="StaleRunAfter"/>, or max(30 s, 10 × <see cref="PollInterval"/>) when unset.</summary>
    public TimeSpan EffectiveStaleRunAfter =>
        StaleRunAfter ?? TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, PollInterval.Ticks * 10));

    /// <summary>Whether this process fires cron schedules (every replica may; a slot is claimed by one).</summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary>Whether this process executes runs; a replica that only serves the API leaves it off.</summary>
    public bool ExecutorEnabled { get; set; } = true;

    /// <summary>
    /// Where <c>command</c> and <c>train</c> steps run: <c>local</c> (processes of this server, the default) or
    /// <c>kubernetes</c> (Jobs, with <see cref="Kubernetes"/>). The other kinds are API calls and run in the server.
    /// </summary>
    public string Executor { get; set; } = LocalExecutor;

    /// <summary>The Job settings when <see cref="Executor"/> is <c>kubernetes</c> (<c>Slipway:Pipelines:Kubernetes</c>).</summary>
    public KubernetesExecutorOptions Kubernetes { get; set; } = new();

    public const string LocalExecutor = "local";
    public const string KubernetesExecutor = "kubernetes";

    /// <summary>How many steps of one run may execute at once.</summary>
    public int MaxParallelism { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>This process's name in <c>pipeline_runs.replica</c>; host name and process id by default.</summary>
    public string Replica { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary><c>pipeline-runs</c> beside a local artifact folder (the server's data folder); <c>./slipway-data/pipeline-runs</c> otherwise.</summary>
    public static string DefaultWorkDirectory(string artifactsDestination)
    {
        if (artifactsDestination.Contains("://", StringComparison.Ordinal) && !artifactsDestination.StartsWith("file://", StringComparison.Ordinal))
            return Path.GetFullPath(Path.Combine("slipway-data", "pipeline-runs"));
        var local = artifactsDestination.StartsWith("file://", StringComparison.Ordinal) ? new Uri(artifactsDestination).LocalPath : artifactsDestination;
        var parent = Path.GetDirectoryName(Path.GetFullPath(local).TrimEnd(Path.DirectorySeparatorChar)) ?? ".";
        return Path.Combine(parent, "pipeline-runs");
    }

    /// <summary>
    /// With authentication on: a personal access token (<c>slw_…</c>) of the user that server-run pipelines act as (their
    /// tracked runs, registered versions, deployments). Steps can do what that user may, so anyone who may edit a
    /// pipeline acts with its rights: give it only the grants the pipelines need. Never logged.
    /// </summary>
    public string? ServiceToken { get; set; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (WorkDirectory is { Length: 0 })
            problems.Add("Slipway:Pipelines:WorkDirectory must not be empty.");
        if (PollInterval <= TimeSpan.Zero)
            problems.Add("Slipway:Pipelines:PollInterval must be positive.");
        else if (StaleRunAfter is { } stale && stale < PollInterval * 2)
            problems.Add("Slipway:Pipelines:StaleRunAfter must be at least twice PollInterval (heartbeats are refreshed once per poll).");
        if (MaxParallelism < 1)
            problems.Add("Slipway:Pipelines:MaxParallelism must be at least 1.");
        if (string.IsNullOrWhiteSpace(Replica))
            problems.Add("Slipway:Pipelines:Replica must not be empty.");
        if (Executor is not (LocalExecutor or KubernetesExecutor))
            problems.Add($"Slipway:Pipelines:Executor must be '{LocalExecutor}' or '{KubernetesExecutor}' (got '{Executor}').");
        else if (Executor == KubernetesExecutor)
            problems.AddRange(Kubernetes.Validate().Select(p => "Slipway:Pipelines:Kubernetes: " + p));
        return problems;
    }
}
