namespace Slipway.Pipelines.Execution;

public enum StepStatus
{
    Pending,
    Running,
    Succeeded,
    /// <summary>Not executed: its outputs came from a previous identical successful step.</summary>
    Cached,
    Failed,
    TimedOut,
    /// <summary>Not executed because a step it needs did not succeed.</summary>
    Skipped,
    Cancelled,
}

public enum PipelineRunStatus
{
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>Options for <see cref="PipelineRunner"/>.</summary>
public sealed record PipelineRunnerOptions
{
    /// <summary>How many steps of one run may execute at once.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>Delay before the first retry; doubled for each further retry.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxRetryBackoff { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>How long a cancelled or timed-out executor gets to stop its work before the runner moves on.</summary>
    public TimeSpan CancellationGracePeriod { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>One run of a pipeline.</summary>
public sealed record PipelineRunRequest
{
    public required string RunId { get; init; }
    /// <summary>Overrides of declared parameters (<c>--param k=v</c>); unknown names are rejected.</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();
    public required string WorkingDirectory { get; init; }
    public string? TrackingUri { get; init; }
    /// <summary>Gives each step its log; the default discards output.</summary>
    public Func<string, IStepLog>? LogFor { get; init; }
    /// <summary>Gives each step its MLflow child run id (the server creates it); none by default.</summary>
    public Func<string, CancellationToken, Task<string?>>? CreateStepRun { get; init; }
    /// <summary>
    /// Told of each step as it reaches its final state (skipped steps included), in that order, on the runner's
    /// scheduling loop: keep it short (print a line, queue work).
    /// </summary>
    public Action<StepRunState>? OnStepFinished { get; init; }
    /// <summary>What started the run, for <c>${{ trigger.* }}</c>; a manual run by default.</summary>
    public Definition.PipelineTrigger Trigger { get; init; } = Definition.PipelineTrigger.ManualRun;
}

/// <summary>A step's final state with timings.</summary>
public sealed record StepRunState
{
    public required string StepId { get; init; }
    public StepStatus Status { get; init; }
    public int Attempts { get; init; }
    public string? Error { get; init; }
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();
    /// <summary>When the last step it needs finished (the run's start for a root step).</summary>
    public DateTimeOffset? ReadyAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Time the runner took between the step becoming ready and starting it.</summary>
    public TimeSpan? SchedulingDelay => StartedAt - ReadyAt;
    public TimeSpan? Duration => FinishedAt - StartedAt;
}

public sealed record PipelineRunResult(
    string RunId,
    PipelineRunStatus Status,
    IReadOnlyDictionary<string, StepRunState> Steps,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt);
