using System.CommandLine;
using System.Globalization;
using Slipway.Pipelines;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Parsing;
using Slipway.Pipelines.Tracking;

namespace Slipway.Cli.Commands;

/// <summary>
/// <c>slipway pipeline validate|run</c>: checks a pipeline file, and runs it on this machine with its
/// runs recorded on a Slipway server. Listing past pipeline runs waits for server-side pipeline records.
/// </summary>
internal static class PipelineCommands
{
    public static Command Create(ClientCommandFactory factory) =>
        new("pipeline", "YAML pipelines: validate a file, or run it locally with tracked runs.")
        {
            Validate(factory.Cli),
            Run(factory),
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

    private static Command Run(ClientCommandFactory factory)
    {
        var file = FileArgument();
        var parameters = new Option<string[]>("--param")
        {
            Description = "Override a declared parameter, as NAME=VALUE; repeat for several.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var experiment = new Option<string>("--experiment") { Description = "The experiment of the runs. Default: the pipeline's name." };
        var maxParallelism = new Option<int?>("--max-parallelism") { Description = "How many steps may run at once. Default: the number of processors." };
        var command = factory.Create("run", "Validate a pipeline file, then run its steps here, tracked as a parent run with a child run per step.", async call =>
        {
            // The shared client options bring --json; a JSON shape for pipeline runs waits for server-side records.
            if (call.Json)
                return call.Cli.Usage("pipeline run has no --json output yet.");
            var (definition, exitCode) = Load(call.Cli, call.Value(file)!);
            if (definition is null)
                return exitCode;
            var (overrides, problem) = ParseParams(definition, call.Value(parameters) ?? []);
            if (overrides is null)
                return call.Cli.Usage(problem!);
            if (call.Value(maxParallelism) is < 1)
                return call.Cli.Usage("--max-parallelism must be at least 1.");

            var options = new PipelineRunnerOptions();
            if (call.Value(maxParallelism) is { } limit)
                options = options with { MaxParallelism = limit };
            var runner = new PipelineRunner(PipelinesModule.CreateLocalExecutors(), new InMemoryStepCache(), options);
            var tracked = await new TrackedPipelineRun(call.Client, runner).RunAsync(definition, new TrackedPipelineRunRequest
            {
                Params = overrides,
                Experiment = call.Value(experiment),
                WorkingDirectory = Environment.CurrentDirectory,
                OnStepFinished = state => call.Cli.Out.WriteLine(StepLine(state)),
            }, call.CancellationToken);
            WriteResult(call.Cli.Out, tracked);
            return tracked.Run.Status == PipelineRunStatus.Succeeded ? CliApp.Success : CliApp.Failure;
        });
        command.Arguments.Add(file);
        command.Options.Add(parameters);
        command.Options.Add(experiment);
        command.Options.Add(maxParallelism);
        return command;
    }

    private static Argument<string> FileArgument() => new("FILE") { Description = "The pipeline file (YAML)." };

    /// <summary>Parses and validates the file; on any problem prints them all and returns the exit code.</summary>
    private static (PipelineDefinition? Definition, int ExitCode) Load(CliContext cli, string path)
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

    private static (Dictionary<string, string>? Overrides, string? Problem) ParseParams(PipelineDefinition definition, string[] values)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                return (null, $"--param must be NAME=VALUE (got '{value}').");
            var name = value[..equals];
            if (!definition.Params.ContainsKey(name))
            {
                var declared = definition.Params.Count == 0 ? "none" : string.Join(", ", definition.Params.Keys);
                return (null, $"pipeline '{definition.Name}' declares no parameter '{name}' (declared: {declared}).");
            }
            overrides[name] = value[(equals + 1)..];
        }
        return (overrides, null);
    }

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
    private static string StepLine(StepRunState state)
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
