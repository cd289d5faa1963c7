using System.CommandLine;
using System.Globalization;
using Slipway.Pipelines;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Parsing;
using Slipway.Pipelines.Tracking;

namespace Slipway.Cli.Commands;

/// <summary>
/// <c>slipway pipeline …</c>: <c>validate</c> checks a file; <c>apply|list|get|runs|logs|cancel|delete</c> manage pipelines
/// stored on a Slipway server; <c>run</c> submits a run to the server and follows it, or with <c>--local</c> runs the
/// steps in this process with the runs recorded on the server.
/// </summary>
internal static partial class PipelineCommands
{
    public static Command Create(ClientCommandFactory factory) =>
        new("pipeline", "YAML pipelines: validate, store on the server (apply), run on the server or locally, and inspect runs.")
        {
            Validate(factory.Cli),
            Run(factory),
            Apply(factory),
            List(factory),
            Get(factory),
            Runs(factory),
            Logs(factory),
            Wait(factory),
            Cancel(factory),
            Delete(factory),
        };

    private static Command Validate(CliContext cli)
    {
        var file = FileArgument();
        var command = new Command("validate", "Check a pipeline file and print every problem as file:line:col: message.");
        command.Arguments.Add(file);
        command.SetAction(parseResult =>
        {
            var (definition, exitCode) = Load(cli, parseResult.GetValue(file)!);
            if (definition is null)
                return exitCode;
            cli.Out.WriteLine($"{definition.FileName}: pipeline '{definition.Name}' is valid: {Summary(definition)}");
            return CliApp.Success;
        });
        return command;
    }

    private static Argument<string> FileArgument() => new("FILE") { Description = "The pipeline file (YAML)." };

    /// <summary>Parses and validates the file; on any problem prints them all and returns the exit code.</summary>
    internal static (PipelineDefinition? Definition, int ExitCode) Load(CliContext cli, string path)
    {
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, cli.Usage($"cannot read pipeline file '{path}': {ex.Message}"));
        }
        var (definition, problems) = PipelineParser.Parse(yaml, path);
        foreach (var problem in problems)
            cli.Error.WriteLine(problem.ToString());
        if (definition is not null)
            return (definition, CliApp.Success);
        cli.Error.WriteLine($"{path}: {problems.Count} problem(s); the pipeline is not valid.");
        return (null, CliApp.UsageError);
    }

    internal static (Dictionary<string, string>? Overrides, string? Problem) ParseParams(PipelineDefinition definition, string[] values) =>
        ParseParams(definition.Name, definition.Params.Keys, values);

    /// <summary>The steps grouped by depth in the DAG: every step of a stage can start once the earlier stages are done.</summary>
    private static string Summary(PipelineDefinition definition)
    {
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        int DepthOf(StepDefinition step)
        {
            if (!depth.TryGetValue(step.Id, out var value))
                depth[step.Id] = value = step.Needs.Count == 0 ? 0 : step.Needs.Max(n => DepthOf(definition.FindStep(n)!)) + 1;
            return value;
        }
        var stages = definition.Steps.GroupBy(DepthOf).OrderBy(g => g.Key).Select(g => $"[{string.Join(", ", g.Select(s => s.Id))}]").ToList();
        return $"{definition.Steps.Count} step(s) in {stages.Count} stage(s): {string.Join(" -> ", stages)}";
    }

    /// <summary>A step's outcome, printed as the step finishes.</summary>
    private static string StepLineOf(StepRunState state)
    {
        var duration = state.Duration is { } d ? d.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s" : "-";
        var line = $"{state.StepId}: {state.Status.ToString().ToLowerInvariant()}  duration {duration}  attempts {state.Attempts}"
            + $"  cached {(state.Status == StepStatus.Cached ? "yes" : "no")}";
        return state.Error is null ? line : $"{line}  ({state.Error})";
    }

    private static void WriteResult(TextWriter output, TrackedPipelineRunResult tracked)
    {
        // The child runs exist once the pipeline has ended (skipped and cached steps get theirs then).
        foreach (var (step, runId) in tracked.StepRunIds.OrderBy(p => p.Key, StringComparer.Ordinal))
            output.WriteLine($"  run of {step}: {runId}");
        output.WriteLine($"Pipeline {tracked.Run.Status.ToString().ToLowerInvariant()}; parent run {tracked.ParentRunId} in experiment {tracked.ExperimentId}.");
    }
}
