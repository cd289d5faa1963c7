using System.Collections.Concurrent;
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
/// </summary>
public sealed partial class TrackedPipelineRun(SlipwayClient client, PipelineRunner runner)
{
    /// <exception cref="ArgumentException">The request overrides a parameter the pipeline does not declare.</exception>
    public async Task<TrackedPipelineRunResult> RunAsync(
        PipelineDefinition definition, TrackedPipelineRunRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = ResolveParams(definition, request.Params);
        var experimentId = await client.GetOrCreateExperimentAsync(request.Experiment ?? definition.Name, cancellationToken);
        var parent = await client.CreateRunAsync(
            experimentId,
            definition.Name,
            [new(PipelineRunTags.Pipeline, definition.Name), new(PipelineRunTags.PipelineFile, definition.FileName)],
            ct: cancellationToken);
        var parentId = parent.Info.RunId;
        await client.LogBatchAsync(parentId, parameters: parameters.Select(p => new Param(p.Key, p.Value)), ct: cancellationToken);

        var stepRuns = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var logs = new ConcurrentDictionary<string, InMemoryStepLog>(StringComparer.Ordinal);
        PipelineRunResult result;
        try
        {
            result = await runner.RunAsync(definition, new PipelineRunRequest
            {
                RunId = parentId,
                Params = request.Params,
                WorkingDirectory = request.WorkingDirectory,
                TrackingUri = request.TrackingUri ?? client.BaseAddress.AbsoluteUri.TrimEnd('/'),
                LogFor = stepId => logs.GetOrAdd(stepId, _ => new InMemoryStepLog()),
                OnStepFinished = request.OnStepFinished,
                CreateStepRun = async (stepId, ct) =>
                {
                    var runId = await CreateStepRunAsync(experimentId, parentId, definition.FindStep(stepId)!, null, ct);
                    stepRuns[stepId] = runId;
                    return runId;
                },
            }, cancellationToken);
        }
        catch
        {
            // A run left RUNNING would look alive forever in the UI.
            await client.SetTerminatedAsync(parentId, RunStatus.Failed, CancellationToken.None);
            throw;
        }

        // Step runs are closed even when the pipeline was cancelled, hence no token from here on.
        foreach (var step in definition.Steps)
        {
            var state = result.Steps[step.Id];
            if (!stepRuns.TryGetValue(step.Id, out var runId))
            {
                // Cached, skipped and steps that failed before running get their run now, so
                // every step of the pipeline has one.
                runId = await CreateStepRunAsync(experimentId, parentId, step, state.StartedAt ?? state.FinishedAt, CancellationToken.None);
                stepRuns[step.Id] = runId;
            }
            await FinishStepRunAsync(parentId, runId, state, logs.GetValueOrDefault(step.Id));
        }
        await client.SetTerminatedAsync(parentId, ParentStatus(result.Status), CancellationToken.None);
        return new TrackedPipelineRunResult(experimentId, parentId, result, new Dictionary<string, string>(stepRuns));
    }

    private static Dictionary<string, string> ResolveParams(
        PipelineDefinition definition, IReadOnlyDictionary<string, string> overrides)
    {
        var unknown = overrides.Keys.Where(k => !definition.Params.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"pipeline '{definition.Name}' declares no parameter(s): {string.Join(", ", unknown)}", nameof(overrides));
        }
        var parameters = new Dictionary<string, string>(definition.Params, StringComparer.Ordinal);
        foreach (var (key, value) in overrides)
            parameters[key] = value;
        return parameters;
    }

    private static RunStatus ParentStatus(PipelineRunStatus status) => status switch
    {
        PipelineRunStatus.Succeeded => RunStatus.Finished,
        PipelineRunStatus.Cancelled => RunStatus.Killed,
        _ => RunStatus.Failed,
    };
}
