using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Slipway.Client;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Tracking;

/// <summary>What to run a pipeline with when its runs are recorded on a Slipway server.</summary>
public sealed record TrackedPipelineRunRequest
{
    /// <summary>Overrides of declared parameters; an unknown name is rejected before any run is created.</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();
    /// <summary>The experiment of the runs; the pipeline's name when null.</summary>
    public string? Experiment { get; init; }
    public required string WorkingDirectory { get; init; }
    /// <summary>What command steps get as <c>MLFLOW_TRACKING_URI</c>; the client's server when null.</summary>
    public string? TrackingUri { get; init; }
    /// <summary>Told of each step as it finishes (see <see cref="PipelineRunRequest.OnStepFinished"/>).</summary>
    public Action<StepRunState>? OnStepFinished { get; init; }
    /// <summary>
    /// A parent run created beforehand (the server creates it when the run is queued, so the run's id is known at
    /// once); null to create one. Its params are logged here.
    /// </summary>
    public string? ParentRunId { get; init; }
    /// <summary>What started the run, for <c>${{ trigger.* }}</c> and the parent's <c>slipway.pipeline.trigger</c> tag.</summary>
    public PipelineTrigger Trigger { get; init; } = PipelineTrigger.ManualRun;
    /// <summary>Gives each step its log (the server keeps them readable while the step runs); a fresh buffer by default.</summary>
    public Func<string, InMemoryStepLog>? LogFor { get; init; }
    /// <summary>
    /// Called once a step's child run is closed (status, outputs and log written), with the child run's id; called
    /// in step-finish order, one at a time. An exception here is not caught: it fails the tracked run.
    /// </summary>
    public Func<StepRunState, string, Task>? OnStepRecorded { get; init; }
}

/// <summary>A finished tracked run: the runner's result and the MLflow runs that record it.</summary>
public sealed record TrackedPipelineRunResult(
    string ExperimentId,
    string ParentRunId,
    PipelineRunResult Run,
    IReadOnlyDictionary<string, string> StepRunIds);

/// <summary>
/// Runs a pipeline and records it in tracking: one parent run for the pipeline (its params are the
/// resolved pipeline params) and one nested child run per step, so a pipeline's history is browsable
/// with any MLflow client. A command step logs into its own child run through <c>MLFLOW_RUN_ID</c>.
/// Each child run is closed (status, outputs, log artifact) as soon as its step finishes.
/// </summary>
public sealed partial class TrackedPipelineRun(SlipwayClient client, PipelineRunner runner)
{
    /// <exception cref="ArgumentException">The request overrides a parameter the pipeline does not declare.</exception>
    public async Task<TrackedPipelineRunResult> RunAsync(
        PipelineDefinition definition, TrackedPipelineRunRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = definition.ResolveParams(request.Params);
        var (experimentId, parentId) = await OpenParentAsync(definition, request, cancellationToken);
        await client.LogBatchAsync(parentId, parameters: parameters.Select(p => new Param(p.Key, p.Value)), ct: cancellationToken);

        var stepRuns = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var logs = new ConcurrentDictionary<string, InMemoryStepLog>(StringComparer.Ordinal);
        InMemoryStepLog LogFor(string stepId) => request.LogFor?.Invoke(stepId) ?? logs.GetOrAdd(stepId, _ => new InMemoryStepLog());

        // Finished steps are recorded by one consumer, in finish order, while the pipeline goes on; the runner's
        // callback only queues (it runs on the scheduling loop and must stay short).
        var finished = Channel.CreateUnbounded<StepRunState>(new UnboundedChannelOptions { SingleReader = true });
        var recorder = RecordStepsAsync(finished.Reader, definition, request, experimentId, parentId, stepRuns, LogFor);
        // A step that cannot be recorded stops the pipeline: the steps after it would run with nothing to show for them.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ = recorder.ContinueWith(static (_, state) => CancelQuietly((CancellationTokenSource)state!), stop,
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        PipelineRunResult result;
        try
        {
            result = await runner.RunAsync(definition, new PipelineRunRequest
            {
                RunId = parentId,
                Params = request.Params,
                WorkingDirectory = request.WorkingDirectory,
                TrackingUri = request.TrackingUri ?? client.BaseAddress.AbsoluteUri.TrimEnd('/'),
                LogFor = LogFor,
                Trigger = request.Trigger,
                OnStepFinished = state =>
                {
                    request.OnStepFinished?.Invoke(state);
                    finished.Writer.TryWrite(state);
                },
                CreateStepRun = async (stepId, ct) =>
                {
                    var runId = await CreateStepRunAsync(experimentId, parentId, definition.FindStep(stepId)!, null, ct);
                    stepRuns[stepId] = runId;
                    return runId;
                },
            }, stop.Token);
            finished.Writer.TryComplete();
            await recorder;
        }
        catch (Exception runnerError)
        {
            finished.Writer.TryComplete();
            Exception? recordError = null;
            try
            {
                await recorder;
            }
            catch (Exception e)
            {
                recordError = e;
            }
            // A run left RUNNING would look alive forever in the UI.
            await client.SetTerminatedAsync(parentId, RunStatus.Failed, CancellationToken.None);
            // Cancelled because recording failed (not by the caller): the recording failure is the cause to report.
            if (recordError is not null && runnerError is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                ExceptionDispatchInfo.Throw(recordError);
            throw;
        }
        await client.SetTerminatedAsync(parentId, ParentStatus(result.Status), CancellationToken.None);
        return new TrackedPipelineRunResult(experimentId, parentId, result, new Dictionary<string, string>(stepRuns));
    }

    private async Task<(string ExperimentId, string ParentId)> OpenParentAsync(
        PipelineDefinition definition, TrackedPipelineRunRequest request, CancellationToken cancellationToken)
    {
        if (request.ParentRunId is { } existing)
        {
            var run = await client.GetRunAsync(existing, cancellationToken);
            await client.UpdateRunAsync(existing, RunStatus.Running, ct: cancellationToken);
            return (run.Info.ExperimentId, existing);
        }
        var experimentId = await client.GetOrCreateExperimentAsync(request.Experiment ?? definition.Name, cancellationToken);
        var parent = await client.CreateRunAsync(experimentId, definition.Name, ParentTags(definition, request.Trigger), ct: cancellationToken);
        return (experimentId, parent.Info.RunId);
    }

    /// <summary>The tags of a pipeline's parent run.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParentTags(PipelineDefinition definition, PipelineTrigger trigger) =>
    [
        new(PipelineRunTags.Pipeline, definition.Name),
        new(PipelineRunTags.PipelineFile, definition.FileName),
        new(PipelineRunTags.Trigger, trigger.Kind),
    ];

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run already ended.
        }
    }

    private async Task RecordStepsAsync(
        ChannelReader<StepRunState> finished, PipelineDefinition definition, TrackedPipelineRunRequest request,
        string experimentId, string parentId, ConcurrentDictionary<string, string> stepRuns, Func<string, InMemoryStepLog> logFor)
    {
        // Step runs are closed even when the pipeline was cancelled, hence no token here.
        await foreach (var state in finished.ReadAllAsync(CancellationToken.None))
        {
            var step = definition.FindStep(state.StepId)!;
            if (!stepRuns.TryGetValue(step.Id, out var runId))
            {
                // Cached, skipped and steps that failed before running get their run now, so every step has one.
                runId = await CreateStepRunAsync(experimentId, parentId, step, state.StartedAt ?? state.FinishedAt, CancellationToken.None);
                stepRuns[step.Id] = runId;
            }
            await FinishStepRunAsync(parentId, runId, state, logFor(step.Id));
            if (request.OnStepRecorded is not null)
                await request.OnStepRecorded(state, runId);
        }
    }

    private static RunStatus ParentStatus(PipelineRunStatus status) => status switch
    {
        PipelineRunStatus.Succeeded => RunStatus.Finished,
        PipelineRunStatus.Cancelled => RunStatus.Killed,
        _ => RunStatus.Failed,
    };
}
