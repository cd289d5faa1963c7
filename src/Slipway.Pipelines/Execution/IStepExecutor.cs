using System.Collections.Concurrent;

namespace Slipway.Pipelines.Execution;

/// <summary>Runs one kind of step (<c>uses:</c>); registered with the runner by kind.</summary>
public interface IStepExecutor
{
    /// <summary>
    /// Runs the step once. Cancellation means a timeout or the run being cancelled; the executor
    /// must stop its work (kill processes, delete jobs) before it returns or throws.
    /// </summary>
    Task<StepResult> ExecuteAsync(StepInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>Receives a step's log lines (stdout, stderr and the runner's own notes).</summary>
public interface IStepLog
{
    void Write(StepLogStream stream, string line);
}

public enum StepLogStream
{
    Stdout,
    Stderr,
    System,
}

/// <summary>Everything an executor needs, with every <c>${{ }}</c> already substituted.</summary>
public sealed record StepInvocation
{
    public required string PipelineName { get; init; }
    public required string RunId { get; init; }
    public required string StepId { get; init; }
    public required string Uses { get; init; }
    public int Attempt { get; init; } = 1;
    public IReadOnlyDictionary<string, string> With { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Run { get; init; } = [];
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public required string WorkingDirectory { get; init; }
    public required IStepLog Log { get; init; }
    /// <summary>Passed to command steps as <c>MLFLOW_TRACKING_URI</c> when set.</summary>
    public string? TrackingUri { get; init; }
    /// <summary>The step's child run, passed as <c>MLFLOW_RUN_ID</c> when set.</summary>
    public string? MlflowRunId { get; init; }
    /// <summary>
    /// The step's <c>timeout:</c> per attempt. The runner enforces it through cancellation; executors that hand work
    /// to another system (a Kubernetes Job's deadline) pass it on.
    /// </summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>What an executor reports: success with outputs, or failure with a reason.</summary>
public sealed record StepResult(bool Succeeded, IReadOnlyDictionary<string, string> Outputs, string? Error)
{
    public static StepResult Success(IReadOnlyDictionary<string, string>? outputs = null) =>
        new(true, outputs ?? new Dictionary<string, string>(), null);

    public static StepResult Failure(string error) => new(false, new Dictionary<string, string>(), error);
}

/// <summary>Keeps log lines in memory; the server will copy them to step-log artifacts.</summary>
public sealed class InMemoryStepLog : IStepLog
{
    private readonly ConcurrentQueue<(StepLogStream Stream, string Line)> _lines = new();

    public IReadOnlyList<(StepLogStream Stream, string Line)> Lines => [.. _lines];

    public void Write(StepLogStream stream, string line) => _lines.Enqueue((stream, line));

    public string Text(StepLogStream stream) =>
        string.Join('\n', _lines.Where(l => l.Stream == stream).Select(l => l.Line));
}

/// <summary>Discards output; the default when a run does not ask for logs.</summary>
public sealed class NullStepLog : IStepLog
{
    public static NullStepLog Instance { get; } = new();

    public void Write(StepLogStream stream, string line)
    {
    }
}
