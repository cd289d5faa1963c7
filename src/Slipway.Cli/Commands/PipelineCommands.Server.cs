using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using Slipway.Cli.Output;
using Slipway.Client;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors.BuiltIn;

namespace Slipway.Cli.Commands;

internal static partial class PipelineCommands
{
    private static Command Apply(ClientCommandFactory factory)
    {
        var file = FileArgument();
        var workingDirectoryOption = WorkingDirectoryOption();
        var command = factory.Create("apply", "Validate a pipeline file and store it on the server (created or replaced); its schedules and triggers take effect.", async call =>
        {
            var (definition, exitCode) = Load(call.Cli, call.Value(file)!);
            if (definition is null)
                return exitCode;
            var path = call.Value(file)!;
            var workingDirectory = call.Value(workingDirectoryOption) ?? FileFolderIfLocal(call.Client.BaseAddress, path);
            var (pipeline, created) = await call.Client.ApplyPipelineAsync(
                await File.ReadAllTextAsync(path, call.CancellationToken), Path.GetFileName(path), workingDirectory, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(pipeline, PipelineCliJsonContext.Default.PipelineInfo);
            call.Cli.Out.WriteLine($"{(created ? "Created" : "Updated")} pipeline {pipeline.Name}: {pipeline.Steps.Count} step(s), concurrency {pipeline.Concurrency}"
                + (pipeline.NextScheduleTime is { } next ? $", next scheduled run {Tables.Time(next)}" : "") + ".");
            return CliApp.Success;
        });
        command.Arguments.Add(file);
        command.Options.Add(workingDirectoryOption);
        return command;
    }

    private static Command List(ClientCommandFactory factory) =>
        factory.Create("list", "List the pipelines stored on the server.", async call =>
        {
            var pipelines = await call.Client.ListPipelinesAsync(call.CancellationToken);
            if (call.Json)
                return call.WriteJson(pipelines.ToList(), PipelineCliJsonContext.Default.ListPipelineInfo);
            var table = Tables.Create("Name", "Steps", "Concurrency", "Triggers", "Next scheduled run", "Updated");
            foreach (var pipeline in pipelines)
            {
                table.AddTextRow(pipeline.Name, pipeline.Steps.Count.ToString(CultureInfo.InvariantCulture),
                    pipeline.Concurrency.ToString(CultureInfo.InvariantCulture), Triggers(pipeline.Triggers),
                    Tables.Time(pipeline.NextScheduleTime), Tables.Time(pipeline.LastUpdatedTime));
            }
            call.Cli.Console.Write(table);
            return CliApp.Success;
        });

    private static Command Get(ClientCommandFactory factory)
    {
        var target = new Argument<string>("NAME|RUN_ID") { Description = "A pipeline's name (its definition and recent runs) or a run id (the run with its steps)." };
        var command = factory.Create("get", "Show a stored pipeline with its recent runs, or one run with its steps.", async call =>
        {
            var value = call.Value(target)!;
            try
            {
                var (pipeline, runs) = await call.Client.GetPipelineAsync(value, call.CancellationToken);
                if (call.Json)
                    return call.WriteJson(new PipelineDetails(pipeline, runs.ToList()), PipelineCliJsonContext.Default.PipelineDetails);
                call.Cli.Out.WriteLine($"Pipeline {pipeline.Name}: concurrency {pipeline.Concurrency}, triggers {Triggers(pipeline.Triggers)}"
                    + (pipeline.NextScheduleTime is { } next ? $", next scheduled run {Tables.Time(next)}" : ""));
                call.Cli.Out.WriteLine("Steps: " + string.Join(", ", pipeline.Steps.Select(s => $"{s.Id} ({s.Uses})")));
                WriteRuns(call, runs);
                return CliApp.Success;
            }
            catch (SlipwayApiException e) when (e.IsNotFound)
            {
                // Not a pipeline: a run id, then.
            }
            var run = await call.Client.GetPipelineRunAsync(value, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(run, PipelineCliJsonContext.Default.PipelineRun);
            WriteRun(call, run);
            return CliApp.Success;
        });
        command.Arguments.Add(target);
        return command;
    }

    private static Command Runs(ClientCommandFactory factory)
    {
        var name = new Argument<string>("NAME") { Description = "The pipeline's name." };
        var status = new Option<string>("--status") { Description = "Only runs in this status: queued, running, succeeded, failed or cancelled." };
        var maxResults = new Option<int?>("--max-results") { Description = "Runs per page, 1 to 1000 (default 50)." };
        var pageToken = new Option<string>("--page-token") { Description = "The token printed under the previous page." };
        var command = factory.Create("runs", "List a pipeline's runs, newest first.", async call =>
        {
            var page = await call.Client.ListPipelineRunsAsync(call.Value(name)!, call.Value(status), call.Value(maxResults), call.Value(pageToken), call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new PipelineRunsPage(page.Items.ToList(), page.NextPageToken), PipelineCliJsonContext.Default.PipelineRunsPage);
            WriteRuns(call, page.Items);
            if (page.NextPageToken is not null)
                call.Cli.Out.WriteLine($"More: --page-token {page.NextPageToken}");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        command.Options.Add(status);
        command.Options.Add(maxResults);
        command.Options.Add(pageToken);
        return command;
    }

    private static Command Logs(ClientCommandFactory factory)
    {
        var runId = RunIdArgument();
        var step = new Option<string>("--step") { Description = "Only this step's log." };
        var follow = new Option<bool>("--follow") { Description = "Wait for the run, printing each step's log as the step finishes." };
        var command = factory.Create("logs", "Print the logs of a run's steps (live while a step runs on the server).", async call =>
        {
            if (call.Json)
                return call.Cli.Usage("pipeline logs prints text only; use pipeline get RUN_ID --json for the run.");
            var only = call.Value(step);
            var run = await call.Client.GetPipelineRunAsync(call.Value(runId)!, call.CancellationToken);
            if (only is not null && run.Steps.All(s => s.StepId != only))
                return call.Cli.Usage($"run {run.Id} has no step '{only}' (steps: {string.Join(", ", run.Steps.Select(s => s.StepId))}).");
            if (call.Value(follow))
            {
                run = await FollowAsync(call, run, printSteps: false, async finished =>
                {
                    if (only is null || finished.StepId == only)
                        await WriteLogsAsync(call, run.Id, finished.StepId);
                });
                call.Cli.Out.WriteLine($"Pipeline {run.Status}.");
                return run.Status == "succeeded" ? CliApp.Success : CliApp.Failure;
            }
            foreach (var log in await call.Client.GetPipelineRunLogsAsync(run.Id, only, call.CancellationToken))
                WriteLog(call, log);
            return CliApp.Success;
        });
        command.Arguments.Add(runId);
        command.Options.Add(step);
        command.Options.Add(follow);
        return command;
    }

    private static Command Wait(ClientCommandFactory factory)
    {
        var target = new Argument<string>("NAME|RUN_ID") { Description = "A run id, or a pipeline's name: its newest run (waiting for one to be started if it has none)." };
        var timeout = new Option<string>("--timeout") { Description = "Give up after this long, e.g. 90s, 15m or 1h (default 1h)." };
        var command = factory.Create("wait", "Wait for a run to end, printing each step as it finishes. Exit 0 if it succeeded, 1 if it did not or the wait timed out.", async call =>
        {
            var limitText = call.Value(timeout) ?? "1h";
            if (!StepArguments.TryParseDuration(limitText, out var limit) || limit <= TimeSpan.Zero)
                return call.Cli.Usage($"--timeout must be a duration such as 90s, 15m or 1h (got '{limitText}').");
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken);
            deadline.CancelAfter(limit);
            var waiting = call with { CancellationToken = deadline.Token };
            try
            {
                var run = await NewestRunAsync(waiting, call.Value(target)!);
                if (!call.Json)
                    call.Cli.Out.WriteLine($"Run {run.Id} of {run.Pipeline} ({run.Trigger.Kind}): {run.Status}.");
                run = await FollowAsync(waiting, run, printSteps: !call.Json);
                if (call.Json)
                    call.WriteJson(run, PipelineCliJsonContext.Default.PipelineRun);
                else
                    call.Cli.Out.WriteLine($"Pipeline {run.Status}." + (run.Error is null ? "" : $" ({run.Error})"));
                return run.Status == "succeeded" ? CliApp.Success : CliApp.Failure;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !call.CancellationToken.IsCancellationRequested)
            {
                call.Cli.Error.WriteLine($"Gave up after {limitText}: the run has not ended.");
                return CliApp.Failure;
            }
        });
        command.Arguments.Add(target);
        command.Options.Add(timeout);
        return command;
    }

    /// <summary>The run with this id; or, for a pipeline's name, its newest run, polling until one exists.</summary>
    private static async Task<PipelineRun> NewestRunAsync(ClientInvocation call, string target)
    {
        try
        {
            await call.Client.GetPipelineAsync(target, call.CancellationToken);
        }
        catch (SlipwayApiException e) when (e.IsNotFound)
        {
            return await call.Client.GetPipelineRunAsync(target, call.CancellationToken);
        }
        while (true)
        {
            var page = await call.Client.ListPipelineRunsAsync(target, maxResults: 1, ct: call.CancellationToken);
            if (page.Items.Count > 0)
                return page.Items[0];
            await Task.Delay(TimeSpan.FromSeconds(1), call.CancellationToken);
        }
    }

    private static Command Cancel(ClientCommandFactory factory)
    {
        var runId = RunIdArgument();
        var command = factory.Create("cancel", "Cancel a run: a queued run at once, a running one as soon as the server stops its steps.", async call =>
        {
            var run = await call.Client.CancelPipelineRunAsync(call.Value(runId)!, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(run, PipelineCliJsonContext.Default.PipelineRun);
            call.Cli.Out.WriteLine(run.IsFinished ? $"Run {run.Id} is {run.Status}." : $"Run {run.Id}: cancel requested; it is stopping.");
            return CliApp.Success;
        });
        command.Arguments.Add(runId);
        return command;
    }

    private static Command Delete(ClientCommandFactory factory)
    {
        var name = new Argument<string>("NAME") { Description = "The pipeline's name." };
        var command = factory.Create("delete", "Delete a stored pipeline with its run records and step cache (its MLflow runs stay).", async call =>
        {
            await call.Client.DeletePipelineAsync(call.Value(name)!, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new PipelineDeleted(call.Value(name)!), PipelineCliJsonContext.Default.PipelineDeleted);
            call.Cli.Out.WriteLine($"Deleted pipeline {call.Value(name)}.");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        return command;
    }

    private static async Task WriteLogsAsync(ClientInvocation call, string runId, string stepId)
    {
        foreach (var log in await call.Client.GetPipelineRunLogsAsync(runId, stepId, call.CancellationToken))
            WriteLog(call, log);
    }

    private static void WriteLog(ClientInvocation call, PipelineStepLog log)
    {
        call.Cli.Out.WriteLine($"== {log.StepId} ({log.Status}) ==");
        call.Cli.Out.Write(log.Log ?? "(no log yet)\n");
    }

    private static void WriteRuns(ClientInvocation call, IReadOnlyList<PipelineRun> runs)
    {
        var table = Tables.Create("Run", "Status", "Trigger", "Created", "Duration", "Steps", "Error");
        foreach (var run in runs)
        {
            var done = run.Steps.Count(s => s.Status is "succeeded" or "cached");
            table.AddTextRow(run.Id, run.Status, run.Trigger.Kind, Tables.Time(run.CreationTime), Duration(run.StartTime, run.EndTime),
                $"{done}/{run.Steps.Count}", run.Error);
        }
        call.Cli.Console.Write(table);
    }

    private static void WriteRun(ClientInvocation call, PipelineRun run)
    {
        call.Cli.Out.WriteLine($"Run {run.Id} of {run.Pipeline}: {run.Status} ({TriggerText(run.Trigger)}), duration {Duration(run.StartTime, run.EndTime)}"
            + (run.Error is null ? "" : $", {run.Error}"));
        var table = Tables.Create("Step", "Status", "Duration", "Attempts", "Outputs", "Child run", "Error");
        foreach (var step in run.Steps)
        {
            table.AddTextRow(step.StepId, step.Status, Duration(step.StartTime, step.EndTime), step.Attempts.ToString(CultureInfo.InvariantCulture),
                string.Join(", ", step.Outputs.Select(o => $"{o.Key}={o.Value}")), step.RunId, step.Error);
        }
        call.Cli.Console.Write(table);
    }

    /// <summary>A finished step's line, in the same shape as <c>--local</c> prints it.</summary>
    private static string StepLine(PipelineStepRun step)
    {
        var line = $"{step.StepId}: {step.Status}  duration {Duration(step.StartTime, step.EndTime)}  attempts {step.Attempts}"
            + $"  cached {(step.Status == "cached" ? "yes" : "no")}";
        return step.Error is null ? line : $"{line}  ({step.Error})";
    }

    private static string Duration(long? start, long? end) =>
        start is { } s && end is { } e ? ((e - s) / 1000.0).ToString("0.00", CultureInfo.InvariantCulture) + "s" : "-";

    private static string Triggers(PipelineTriggerSpec triggers)
    {
        var parts = triggers.Schedule.Select(c => $"cron '{c}'")
            .Concat(triggers.MonitorAlert.Select(m => $"alerts of {m}"))
            .Concat(triggers.ModelVersion.Select(m => $"versions of {m}"))
            .ToList();
        return parts.Count == 0 ? "none" : string.Join("; ", parts);
    }

    private static string TriggerText(PipelineRunTrigger trigger) => trigger.Kind switch
    {
        "schedule" => $"schedule, slot {trigger.ScheduledAt}",
        "monitor_alert" => $"alert {trigger.AlertId} of monitor {trigger.Monitor}",
        "model_version" => $"version {trigger.Version} of {trigger.Model}",
        _ => trigger.Kind,
    };

    private static Argument<string> RunIdArgument() => new("RUN_ID") { Description = "The pipeline run's id (its MLflow parent run id)." };

    /// <summary>The step line of <c>--local</c> runs.</summary>
    private static string StepLine(StepRunState state) => StepLineOf(state);
}

internal sealed record PipelineDetails(PipelineInfo Pipeline, List<PipelineRun> Runs);

internal sealed record PipelineRunsPage(List<PipelineRun> Runs, string? NextPageToken);

internal sealed record PipelineDeleted(string Deleted);

/// <summary>The shapes <c>--json</c> prints for the pipeline commands, in the server's snake_case format.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(PipelineInfo))]
[JsonSerializable(typeof(List<PipelineInfo>))]
[JsonSerializable(typeof(PipelineRun))]
[JsonSerializable(typeof(PipelineDetails))]
[JsonSerializable(typeof(PipelineRunsPage))]
[JsonSerializable(typeof(PipelineDeleted))]
internal sealed partial class PipelineCliJsonContext : JsonSerializerContext;
