using Microsoft.Extensions.Logging;
using Slipway.Client;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Paging;
using Slipway.Core.Pipelines;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Tracking;

namespace Slipway.Pipelines.Server;

public sealed partial class PipelineService
{
    /// <summary>
    /// Queues a run: validates the parameters and working directory, creates the MLflow parent run (its id is the
    /// run's id) and stores the run as <c>queued</c>; the coordinator starts it as soon as the pipeline is under its
    /// <c>concurrency</c> limit.
    /// </summary>
    /// <param name="workingDirectory">An absolute folder that exists on the server; null for a fresh per-run folder.</param>
    public async Task<PipelineRunRecord> StartRunAsync(
        string name, IReadOnlyDictionary<string, string> parameters, PipelineTrigger trigger, string? workingDirectory,
        AuditContext audit, CancellationToken ct)
    {
        var pipeline = await GetAsync(name, ct);
        var definition = pipeline.Definition;
        var unknown = definition.UndeclaredParams(parameters);
        if (unknown.Count > 0)
        {
            var declared = definition.Params.Count == 0 ? "none" : string.Join(", ", definition.Params.Keys);
            throw SlipwayException.InvalidParameter(
                $"Pipeline '{name}' declares no parameter(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))} (declared: {declared}).");
        }
        CheckWorkingDirectory(workingDirectory);
        // Triggered and scheduled runs (and runs that name none) work where the pipeline was applied from.
        workingDirectory ??= pipeline.Record.WorkingDirectory;

        var experimentId = await Client.GetOrCreateExperimentAsync(definition.Name, ct);
        var parent = await Client.CreateRunAsync(experimentId, definition.Name, TrackedPipelineRun.ParentTags(definition, trigger), ct: ct);
        // Shown as SCHEDULED until a replica claims it (TrackedPipelineRun sets RUNNING then).
        await Client.UpdateRunAsync(parent.Info.RunId, RunStatus.Scheduled, ct: ct);
        var run = new PipelineRunRecord(
            parent.Info.RunId, name, PipelineRunStates.Queued, trigger.Kind, PipelineRunJson.Trigger(trigger),
            PipelineRunJson.Map(parameters), PipelineRunJson.Steps(PipelineRunJson.Pending(definition)), experimentId,
            workingDirectory, Now, null, null, null, CancelRequested: false, null);
        await store.AddRunAsync(run, audit, ct);
        coordinator.Signal();
        return run;
    }

    private static void CheckWorkingDirectory(string? workingDirectory)
    {
        if (workingDirectory is not null && (!Path.IsPathFullyQualified(workingDirectory) || !Directory.Exists(workingDirectory)))
            throw SlipwayException.InvalidParameter($"working_directory '{workingDirectory}' must be an absolute path of a folder that exists on the server.");
    }

    /// <summary>Cancels a queued run at once, or asks the replica running it to stop; a finished run is returned as is.</summary>
    public async Task<PipelineRunRecord> CancelRunAsync(string id, AuditContext audit, CancellationToken ct)
    {
        var (run, changed) = await store.CancelRunAsync(id, Now, audit, ct) ?? throw PipelineErrors.RunNotFound(id);
        // This call moved it from queued (no replica will ever touch it): close its tracking run, which stays SCHEDULED otherwise.
        if (changed && run.Status == PipelineRunStates.Cancelled)
        {
            try
            {
                await Client.SetTerminatedAsync(id, RunStatus.Killed, CancellationToken.None);
            }
            catch (Exception exception) when (exception is SlipwayApiException or HttpRequestException or SlipwayException)
            {
                // The cancel is committed; a tracking hiccup must not turn it into a 500.
                LogCancelTrackingFailed(logger, id, exception);
            }
        }
        coordinator.CancelLocal(id);
        return run;
    }

    public async Task<PipelineRunRecord> GetRunAsync(string id, CancellationToken ct) =>
        await store.GetRunAsync(id, ct) ?? throw PipelineErrors.RunNotFound(id);

    public async Task<(IReadOnlyList<PipelineRunRecord> Items, string? NextPageToken)> ListRunsAsync(
        string? pipeline, string? status, int? maxResults, string? pageToken, CancellationToken ct)
    {
        var limit = maxResults ?? DefaultMaxResults;
        if (limit is < 1 or > MaxMaxResults)
            throw SlipwayException.InvalidParameter($"max_results must be between 1 and {MaxMaxResults}, got {limit}.");
        if (status is not null && status is not (PipelineRunStates.Queued or PipelineRunStates.Running or PipelineRunStates.Succeeded
            or PipelineRunStates.Failed or PipelineRunStates.Cancelled))
            throw SlipwayException.InvalidParameter($"status '{status}' is not one of queued, running, succeeded, failed, cancelled.");
        if (pipeline is not null && await store.GetAsync(pipeline, ct) is null)
            throw PipelineErrors.NotFound(pipeline);
        var offset = PageToken.Decode(pageToken);
        var (items, hasMore) = await store.ListRunsAsync(pipeline, status, limit, offset, ct);
        return (items, hasMore ? PageToken.Encode(offset + items.Count) : null);
    }

    /// <summary>
    /// A step's log: live from this process while the step runs here, else the <c>steps/&lt;step&gt;.log</c> artifact of
    /// the parent run once the step has finished; null when the step has no log yet (pending, or running elsewhere).
    /// </summary>
    public async Task<string?> GetStepLogAsync(string id, string step, CancellationToken ct)
    {
        var run = await GetRunAsync(id, ct);
        var steps = PipelineRunJson.Steps(run.Steps);
        var state = steps.FirstOrDefault(s => s.StepId == step)
            ?? throw SlipwayException.NotFound($"Pipeline run '{id}' has no step '{step}' (steps: {string.Join(", ", steps.Select(s => s.StepId))}).");
        if (coordinator.LiveLog(id, step) is { } live && state.RunId is null)
            return live;
        if (state.RunId is null)
            return null;
        var folder = Directory.CreateTempSubdirectory("slipway-step-log-");
        try
        {
            var path = await Client.DownloadArtifactsAsync(id, $"{PipelineRunTags.ParentLogFolder}/{step}.log", folder.FullName, ct);
            return await File.ReadAllTextAsync(path, ct);
        }
        catch (Exception exception) when (exception is SlipwayApiException or HttpRequestException or SlipwayException)
        {
            LogStepLogFailed(logger, id, step, exception);
            return null;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
