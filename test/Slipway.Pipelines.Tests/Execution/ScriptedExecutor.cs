using System.Collections.Concurrent;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Parsing;

namespace Slipway.Pipelines.Tests.Execution;

/// <summary>An executor whose behaviour per step is given by the test; it records what happened.</summary>
internal sealed class ScriptedExecutor : IStepExecutor
{
    private readonly ConcurrentDictionary<string, Func<StepInvocation, CancellationToken, Task<StepResult>>> _behaviour = new();
    private int _running;

    public ConcurrentQueue<string> Started { get; } = new();
    public ConcurrentQueue<string> Finished { get; } = new();
    public ConcurrentQueue<StepInvocation> Invocations { get; } = new();
    public int PeakConcurrency { get; private set; }

    public ScriptedExecutor On(string stepId, Func<StepInvocation, CancellationToken, Task<StepResult>> behaviour)
    {
        _behaviour[stepId] = behaviour;
        return this;
    }

    public async Task<StepResult> ExecuteAsync(StepInvocation invocation, CancellationToken cancellationToken)
    {
        Invocations.Enqueue(invocation);
        Started.Enqueue(invocation.StepId);
        var now = Interlocked.Increment(ref _running);
        lock (Started)
            PeakConcurrency = Math.Max(PeakConcurrency, now);
        try
        {
            return _behaviour.TryGetValue(invocation.StepId, out var behaviour)
                ? await behaviour(invocation, cancellationToken)
                : StepResult.Success();
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            Finished.Enqueue(invocation.StepId);
        }
    }

    public PipelineRunner Runner(int maxParallelism = 8, IStepCache? cache = null) => new(
        new Dictionary<string, IStepExecutor> { ["command"] = this },
        cache,
        new PipelineRunnerOptions
        {
            MaxParallelism = maxParallelism,
            RetryBackoff = TimeSpan.FromMilliseconds(1),
            CancellationGracePeriod = TimeSpan.FromMilliseconds(300),
        });

    public static PipelineDefinition Parse(string yaml)
    {
        var (definition, problems) = PipelineParser.Parse(yaml, "test.yaml");
        Assert.Empty(problems);
        return definition!;
    }

    public static PipelineRunRequest Request(string runId = "run-1", Dictionary<string, string>? parameters = null) => new()
    {
        RunId = runId,
        WorkingDirectory = Path.GetTempPath(),
        Params = parameters ?? [],
    };
}
