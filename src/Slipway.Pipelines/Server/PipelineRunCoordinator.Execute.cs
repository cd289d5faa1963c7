using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Slipway.Client;
using Slipway.Core.Pipelines;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Tracking;

namespace Slipway.Pipelines.Server;

public sealed partial class PipelineRunCoordinator
{
    /// <summary>Executes one claimed run through <see cref="TrackedPipelineRun"/>, writing step states as steps finish.</summary>
    private async Task ExecuteRunAsync(PipelineRunRecord run, ActiveRun active)
    {
        var status = PipelineRunStates.Failed;
        string? error = null;
        try
        {
            var pipeline = await store.GetAsync(run.Pipeline, CancellationToken.None)
                ?? throw new InvalidOperationException($"pipeline '{run.Pipeline}' was deleted");
            var definition = PipelineService.Definition(pipeline);
            var workingDirectory = run.WorkingDirectory ?? Path.GetFullPath(Path.Combine(options.WorkDirectory ?? PipelineServerOptions.DefaultWorkDirectory("."), run.Id));
            Directory.CreateDirectory(workingDirectory);

            var client = loopback.Client;
            var runner = new PipelineRunner(
                executors.Create(client), new StoreStepCache(store, run.Pipeline),
                new PipelineRunnerOptions { MaxParallelism = options.MaxParallelism }, time);
            // The definition as stored now is the one that runs (it may have been re-applied while the run was queued).
            var steps = PipelineRunJson.Pending(definition).ToDictionary(s => s.StepId, StringComparer.Ordinal);
            var order = definition.Steps.Select(s => s.Id).ToList();
            await store.UpdateRunStepsAsync(run.Id, PipelineRunJson.Steps(PipelineRunJson.Pending(definition)), CancellationToken.None);
            var result = await new TrackedPipelineRun(client, runner).RunAsync(definition, new TrackedPipelineRunRequest
            {
                ParentRunId = run.Id,
                Params = PipelineRunJson.Map(run.Params),
                WorkingDirectory = workingDirectory,
                Trigger = PipelineRunJson.Trigger(run.TriggerDetail),
                LogFor = stepId => active.Logs.GetOrAdd(stepId, _ => new InMemoryStepLog()),
                OnStepRecorded = async (state, childRunId) =>
                {
                    var previous = steps.GetValueOrDefault(state.StepId) ?? new StoredStepState { StepId = state.StepId };
                    steps[state.StepId] = PipelineRunJson.FromState(previous, state, childRunId);
                    var ordered = order.Where(steps.ContainsKey).Select(id => steps[id]).ToList();
                    await store.UpdateRunStepsAsync(run.Id, PipelineRunJson.Steps(ordered), CancellationToken.None);
                },
            }, active.Token);
            status = result.Run.Status switch
            {
                PipelineRunStatus.Succeeded => PipelineRunStates.Succeeded,
                PipelineRunStatus.Cancelled => PipelineRunStates.Cancelled,
                _ => PipelineRunStates.Failed,
            };
            if (status == PipelineRunStates.Failed)
            {
                var failedSteps = result.Run.Steps.Values.Where(s => s.Status is StepStatus.Failed or StepStatus.TimedOut).Select(s => s.StepId);
                error = "step(s) did not succeed: " + string.Join(", ", failedSteps);
            }
            else if (status == PipelineRunStates.Cancelled)
            {
                error = "cancelled";
            }
        }
        catch (Exception exception)
        {
            LogRunFailed(logger, run.Pipeline, run.Id, exception);
            error = exception.Message;
            status = active.Token.IsCancellationRequested ? PipelineRunStates.Cancelled : PipelineRunStates.Failed;
            // A failure before tracking took over (deleted pipeline, unusable folder) would leave the parent SCHEDULED.
            await CloseParentAsync(run.Id, status == PipelineRunStates.Cancelled ? RunStatus.Killed : RunStatus.Failed);
        }
        await store.FinishRunAsync(run.Id, status, error, time.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None);
        LogFinished(logger, run.Pipeline, run.Id, status);
    }

    private async Task CloseParentAsync(string runId, RunStatus status)
    {
        try
        {
            await loopback.Client.SetTerminatedAsync(runId, status, CancellationToken.None);
        }
        catch (Exception exception) when (exception is SlipwayApiException or HttpRequestException or Core.Errors.SlipwayException)
        {
            LogTrackingFailed(logger, runId, exception);
        }
    }

    /// <summary>A run executing in this process: its cancellation and live step logs.</summary>
    private sealed class ActiveRun(CancellationToken stopping) : IDisposable
    {
        private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);

        public ConcurrentDictionary<string, InMemoryStepLog> Logs { get; } = new(StringComparer.Ordinal);

        public CancellationToken Token => _cancel.Token;

        public Task Completion { get; set; } = Task.CompletedTask;

        public void Cancel()
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run has just ended.
            }
        }

        public void Dispose() => _cancel.Dispose();
    }
}
