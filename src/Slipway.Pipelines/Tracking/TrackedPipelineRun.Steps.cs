using System.Globalization;
using System.Text;
using Slipway.Client;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Tracking;

public sealed partial class TrackedPipelineRun
{
    private async Task<string> CreateStepRunAsync(
        string experimentId, string parentId, StepDefinition step, DateTimeOffset? startedAt, CancellationToken cancellationToken)
    {
        var run = await client.CreateRunAsync(
            experimentId,
            step.Id,
            [
                new(PipelineRunTags.ParentRunId, parentId),
                new(PipelineRunTags.Step, step.Id),
                new(PipelineRunTags.StepUses, step.Uses),
            ],
            startTime: startedAt?.ToUnixTimeMilliseconds(),
            ct: cancellationToken);
        return run.Info.RunId;
    }

    /// <summary>Records a step's outcome on its run, uploads its log to it and to the parent, and ends it.</summary>
    private async Task FinishStepRunAsync(string parentId, string runId, StepRunState state, InMemoryStepLog? log)
    {
        var tags = new List<Tag>
        {
            new(PipelineRunTags.StepStatus, state.Status.ToString().ToLowerInvariant()),
            new(PipelineRunTags.StepAttempts, state.Attempts.ToString(CultureInfo.InvariantCulture)),
        };
        if (state.Status == StepStatus.Cached)
            tags.Add(new(PipelineRunTags.StepCached, "true"));
        if (state.Error is { } error)
            tags.Add(new(PipelineRunTags.StepError, error));
        foreach (var (name, value) in state.Outputs)
            tags.Add(new(PipelineRunTags.OutputPrefix + name, value));
        await client.LogBatchAsync(runId, tags: tags, ct: CancellationToken.None);

        var directory = Directory.CreateTempSubdirectory("slipway-step-log-");
        try
        {
            var file = Path.Combine(directory.FullName, state.StepId + ".log");
            await File.WriteAllTextAsync(file, FormatLog(state, log), CancellationToken.None);
            await client.UploadArtifactAsync(runId, file, PipelineRunTags.StepLogFolder, CancellationToken.None);
            await client.UploadArtifactAsync(parentId, file, PipelineRunTags.ParentLogFolder, CancellationToken.None);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
        await client.UpdateRunAsync(runId, StepRunStatus(state.Status), EndTime(state), ct: CancellationToken.None);
    }

    /// <summary>
    /// Stdout lines as written; stderr and the runner's notes prefixed, so one file keeps the
    /// order in which things happened. The last line states the outcome, also for a step that never ran.
    /// </summary>
    internal static string FormatLog(StepRunState state, InMemoryStepLog? log)
    {
        var text = new StringBuilder(FormatLiveLog(log));
        text.Append("[slipway] step ").Append(state.StepId).Append(' ').Append(state.Status.ToString().ToLowerInvariant());
        if (state.Error is not null)
            text.Append(": ").Append(state.Error);
        return text.Append('\n').ToString();
    }

    /// <summary>A log's lines so far, formatted as in the step's log artifact but without the outcome line.</summary>
    public static string FormatLiveLog(InMemoryStepLog? log)
    {
        var text = new StringBuilder();
        foreach (var (stream, line) in log?.Lines ?? [])
        {
            text.Append(stream switch
            {
                StepLogStream.Stderr => "[stderr] ",
                StepLogStream.System => "[slipway] ",
                _ => "",
            }).Append(line).Append('\n');
        }
        return text.ToString();
    }

    internal static RunStatus StepRunStatus(StepStatus status) => status switch
    {
        StepStatus.Succeeded or StepStatus.Cached => RunStatus.Finished,
        StepStatus.Failed or StepStatus.TimedOut => RunStatus.Failed,
        _ => RunStatus.Killed,
    };

    private static long EndTime(StepRunState state) =>
        (state.FinishedAt ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds();
}
