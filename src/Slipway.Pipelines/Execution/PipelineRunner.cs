using System.Threading.Channels;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Expressions;

namespace Slipway.Pipelines.Execution;

/// <summary>
/// Runs a validated pipeline as a DAG: a step starts as soon as every step it needs has succeeded,
/// independent steps run concurrently up to <see cref="PipelineRunnerOptions.MaxParallelism"/>, and
/// a step that fails skips its dependents while unrelated branches carry on.
/// </summary>
public sealed partial class PipelineRunner(
    IReadOnlyDictionary<string, IStepExecutor> executors,
    IStepCache? cache = null,
    PipelineRunnerOptions? options = null,
    TimeProvider? timeProvider = null)
{
    private readonly IStepCache _cache = cache ?? new InMemoryStepCache();
    private readonly PipelineRunnerOptions _options = options ?? new PipelineRunnerOptions();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <exception cref="ArgumentException">The request overrides a parameter the pipeline does not declare.</exception>
    public async Task<PipelineRunResult> RunAsync(
        PipelineDefinition definition, PipelineRunRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = definition.ResolveParams(request.Params);
        var runStart = _time.GetUtcNow();
        var states = definition.Steps.ToDictionary(s => s.Id, s => new StepRunState { StepId = s.Id });
        var outputs = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var waitingOn = definition.Steps.ToDictionary(s => s.Id, s => s.Needs.Count);
        var dependents = definition.Steps.ToDictionary(s => s.Id, _ => new List<StepDefinition>());
        foreach (var step in definition.Steps)
        {
            foreach (var need in step.Needs)
                dependents[need].Add(step);
        }

        // Completions come back through one channel so that all bookkeeping stays on this loop
        // and needs no locks; steps themselves run on the thread pool.
        var completions = Channel.CreateUnbounded<StepRunState>();
        var ready = new Queue<StepDefinition>(definition.Steps.Where(s => s.Needs.Count == 0));
        var readyAt = definition.Steps.ToDictionary(s => s.Id, _ => runStart);
        var running = 0;
        var maxParallelism = Math.Max(1, _options.MaxParallelism);

        while (ready.Count > 0 || running > 0)
        {
            while (ready.Count > 0 && running < maxParallelism)
            {
                var step = ready.Dequeue();
                if (cancellationToken.IsCancellationRequested)
                {
                    Complete(step, states[step.Id] with { Status = StepStatus.Cancelled, Error = "the run was cancelled" });
                    continue;
                }
                running++;
                var context = new ExpressionContext(request.RunId, parameters, outputs) { Trigger = request.Trigger };
                states[step.Id] = states[step.Id] with { Status = StepStatus.Running, ReadyAt = readyAt[step.Id] };
                _ = RunStepToChannelAsync(definition, step, request, context, states[step.Id], completions.Writer, cancellationToken);
            }
            if (running == 0)
                break;
            var finished = await completions.Reader.ReadAsync(CancellationToken.None);
            running--;
            Complete(definition.FindStep(finished.StepId)!, finished);
        }

        var status = cancellationToken.IsCancellationRequested ? PipelineRunStatus.Cancelled
            : states.Values.All(s => s.Status is StepStatus.Succeeded or StepStatus.Cached) ? PipelineRunStatus.Succeeded
            : PipelineRunStatus.Failed;
        return new PipelineRunResult(request.RunId, status, states, runStart, _time.GetUtcNow());

        void Complete(StepDefinition step, StepRunState state)
        {
            states[step.Id] = state;
            request.OnStepFinished?.Invoke(state);
            if (state.Status is StepStatus.Succeeded or StepStatus.Cached)
            {
                outputs[step.Id] = state.Outputs;
                foreach (var dependent in dependents[step.Id])
                {
                    if (readyAt[dependent.Id] < state.FinishedAt)
                        readyAt[dependent.Id] = state.FinishedAt ?? runStart;
                    if (--waitingOn[dependent.Id] == 0 && states[dependent.Id].Status == StepStatus.Pending)
                        ready.Enqueue(dependent);
                }
                return;
            }
            var reason = state.Status == StepStatus.Cancelled
                ? "the run was cancelled"
                : $"step '{step.Id}' it needs {Describe(state.Status)}";
            SkipDependents(step.Id, reason);
        }

        void SkipDependents(string stepId, string reason)
        {
            foreach (var dependent in dependents[stepId])
            {
                if (states[dependent.Id].Status != StepStatus.Pending)
                    continue;
                states[dependent.Id] = states[dependent.Id] with { Status = StepStatus.Skipped, Error = reason };
                request.OnStepFinished?.Invoke(states[dependent.Id]);
                SkipDependents(dependent.Id, reason);
            }
        }
    }

    private async Task RunStepToChannelAsync(
        PipelineDefinition definition, StepDefinition step, PipelineRunRequest request, ExpressionContext context,
        StepRunState state, ChannelWriter<StepRunState> completions, CancellationToken cancellationToken)
    {
        // Expressions are resolved before the first await, on the scheduling loop, because the
        // outputs map they read is only ever touched there.
        StepInvocation? invocation = null;
        string? resolveError = null;
        try
        {
            invocation = BuildInvocation(definition, step, request, context);
        }
        catch (ExpressionException e)
        {
            resolveError = e.Message;
        }
        // Leave the scheduling loop at once so it can start the next ready step.
        await Task.Yield();
        StepRunState final;
        try
        {
            final = invocation is null
                ? state with { Status = StepStatus.Failed, Error = resolveError, StartedAt = _time.GetUtcNow(), FinishedAt = _time.GetUtcNow() }
                : await RunStepAsync(step, invocation, request, state, cancellationToken);
        }
        catch (Exception e)
        {
            final = state with { Status = StepStatus.Failed, Error = $"runner error: {e.Message}", FinishedAt = _time.GetUtcNow() };
        }
        completions.TryWrite(final);
    }

    private static string Describe(StepStatus status) => status switch
    {
        StepStatus.TimedOut => "timed out",
        StepStatus.Skipped => "was skipped",
        _ => "failed",
    };
}
