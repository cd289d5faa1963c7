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

/// <summary>
/// Keeps a step's output in memory, bounded: the last <see cref="Capacity"/> lines are kept and
/// <see cref="Lines"/> starts with a <c>N earlier line(s) dropped</c> note once older ones were discarded.
/// </summary>
public sealed class InMemoryStepLog : IStepLog
{
    /// <summary>The default number of lines kept.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly Queue<(StepLogStream Stream, string Line)> _lines = new();
    private readonly Lock _gate = new();
    private long _dropped;

    /// <param name="capacity">How many of the latest lines to keep (at least 1).</param>
    public InMemoryStepLog(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>How many of the latest lines are kept.</summary>
    public int Capacity { get; }

    /// <summary>How many earlier lines were discarded to stay within <see cref="Capacity"/>.</summary>
    public long Dropped
    {
        get
        {
            lock (_gate)
                return _dropped;
        }
    }

    /// <summary>The kept lines, oldest first, after a <see cref="StepLogStream.System"/> note of the dropped ones if any.</summary>
    public IReadOnlyList<(StepLogStream Stream, string Line)> Lines
    {
        get
        {
            lock (_gate)
            {
                var lines = new List<(StepLogStream, string)>(_lines.Count + 1);
                if (_dropped > 0)
                    lines.Add((StepLogStream.System, $"{_dropped} earlier line(s) dropped (only the last {Capacity} are kept)"));
                lines.AddRange(_lines);
                return lines;
            }
        }
    }

    public void Write(StepLogStream stream, string line)
    {
        lock (_gate)
        {
            _lines.Enqueue((stream, line));
            if (_lines.Count > Capacity)
            {
                _lines.Dequeue();
                _dropped++;
            }
        }
    }

    public string Text(StepLogStream stream) =>
        string.Join('\n', Lines.Where(l => l.Stream == stream).Select(l => l.Line));
}

/// <summary>Discards output; the default when a run does not ask for logs.</summary>
public sealed class NullStepLog : IStepLog
{
    public static NullStepLog Instance { get; } = new();

    public void Write(StepLogStream stream, string line)
    {
    }
}
