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
                    // Its log is now an artifact of the step run and the parent; only running steps keep one in memory.
                    active.Logs.TryRemove(state.StepId, out _);
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
                error = active.Stopping ? StoppingError : "cancelled";
            }
        }
        catch (Exception exception)
        {
            LogRunFailed(logger, run.Pipeline, run.Id, exception);
            status = active.Token.IsCancellationRequested ? PipelineRunStates.Cancelled : PipelineRunStates.Failed;
            error = status == PipelineRunStates.Cancelled && active.Stopping ? StoppingError : exception.Message;
            // A failure before tracking took over (deleted pipeline, unusable folder) would leave the parent SCHEDULED.
            await CloseParentAsync(run.Id, status == PipelineRunStates.Cancelled ? RunStatus.Killed : RunStatus.Failed);
        }
        try
        {
            await store.FinishRunAsync(run.Id, status, error, time.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None);
            LogFinished(logger, run.Pipeline, run.Id, status);
        }
        catch (Exception exception)
        {
            // The run stays running without heartbeats once it leaves _active; the stale-run sweep fails it.
            LogFinishFailed(logger, run.Id, status, exception);
        }
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

    /// <summary>A run executing in this process: its cancellation and the logs of its running steps.</summary>
    private sealed class ActiveRun(CancellationToken stopping) : IDisposable
    {
        private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        private readonly CancellationToken _stopping = stopping;
        private volatile bool _userCancelled;
        private volatile bool _stopRequested;

        /// <summary>Whether the run is being stopped by the server shutting down rather than by a user's cancel.</summary>
        public bool Stopping => !_userCancelled && (_stopRequested || _stopping.IsCancellationRequested);

        public ConcurrentDictionary<string, InMemoryStepLog> Logs { get; } = new(StringComparer.Ordinal);

        public CancellationToken Token => _cancel.Token;

        public Task Completion { get; set; } = Task.CompletedTask;

        /// <summary>A user's (or another replica's) cancel request.</summary>
        public void Cancel()
        {
            _userCancelled = true;
            CancelCore();
        }

        /// <summary>The server is shutting down.</summary>
        public void Stop()
        {
            _stopRequested = true;
            CancelCore();
        }

        private void CancelCore()
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
