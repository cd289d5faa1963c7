using System.CommandLine;
using System.Net;
using Slipway.Client;
using Slipway.Pipelines;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors.Kubernetes;
using Slipway.Pipelines.Tracking;

namespace Slipway.Cli.Commands;

internal static partial class PipelineCommands
{
    /// <summary>
    /// The options of <c>pipeline run</c>, kept together so that further ones (an executor choice, a dry run) are one
    /// field, one line in <see cref="AddTo"/> and a branch in <see cref="Run"/>'s action.
    /// </summary>
    private sealed class RunOptions
    {
        public Argument<string> Target { get; } = new("FILE|NAME") { Description = "A pipeline file (YAML), or the name of a pipeline stored on the server." };

        public Option<string[]> Params { get; } = new("--param")
        {
            Description = "Override a declared parameter, as NAME=VALUE; repeat for several.",
            Arity = ArgumentArity.ZeroOrMore,
        };

        public Option<bool> Local { get; } = new("--local") { Description = "Run the steps in this process (runs still recorded on the server) instead of on the server." };

        public Option<string> Experiment { get; } = new("--experiment") { Description = "With --local: the experiment of the runs. Default: the pipeline's name." };

        public Option<int?> MaxParallelism { get; } = new("--max-parallelism") { Description = "With --local: how many steps may run at once. Default: the number of processors." };

        public Option<string> WorkingDirectory { get; } = WorkingDirectoryOption();

        public Option<bool> NoFollow { get; } = new("--no-follow") { Description = "On the server: print the run id and return without waiting for the run." };

        public Option<string> Executor { get; } = new("--executor")
        {
            Description = "Where command and train steps run with --local or --dry-run: local (processes, the default) or kubernetes (Jobs). "
                + "A server's own runs use its Slipway:Pipelines:Executor setting.",
        };

        public Option<bool> DryRun { get; } = new("--dry-run") { Description = "With --executor kubernetes: print the Jobs the run would submit (YAML) and run nothing." };

        public Option<string> Namespace { get; } = new("--namespace") { Description = "With --executor kubernetes: the namespace of the Jobs (default: default)." };

        public Option<string> Image { get; } = new("--image") { Description = $"With --executor kubernetes: the container image of train steps and of command steps without with.image (default: {KubernetesExecutorOptions.DefaultImage})." };

        public void AddTo(Command command)
        {
            command.Arguments.Add(Target);
            command.Options.Add(Params);
            command.Options.Add(Local);
            command.Options.Add(Experiment);
            command.Options.Add(MaxParallelism);
            command.Options.Add(WorkingDirectory);
            command.Options.Add(NoFollow);
            command.Options.Add(Executor);
            command.Options.Add(DryRun);
            command.Options.Add(Namespace);
            command.Options.Add(Image);
        }

        public bool Kubernetes(ParseResult result) => result.GetValue(Executor) == "kubernetes";

        public KubernetesExecutorOptions KubernetesOptions(ParseResult result) => new()
        {
            Namespace = result.GetValue(Namespace) ?? "default",
            Image = result.GetValue(Image) ?? KubernetesExecutorOptions.DefaultImage,
        };
    }

    private static Command Run(ClientCommandFactory factory)
    {
        var options = new RunOptions();
        var command = factory.Create("run",
            "Run a pipeline: by default apply the file (or take the stored pipeline NAME), start a run on the server and follow it; "
            + "--local runs the steps here. Exit codes: 0 the pipeline succeeded, 1 it did not, 2 an invalid file or bad arguments.",
            call => Dispatch(call, options));
        options.AddTo(command);
        return command;
    }

    private static Task<int> Dispatch(ClientInvocation call, RunOptions options)
    {
        var executor = call.Value(options.Executor);
        if (executor is not (null or "local" or "kubernetes"))
            return Task.FromResult(call.Cli.Usage($"--executor must be local or kubernetes (got '{executor}')."));
        var kubernetes = executor == "kubernetes";
        if (!kubernetes && (call.Value(options.Namespace) is not null || call.Value(options.Image) is not null))
            return Task.FromResult(call.Cli.Usage("--namespace and --image apply to --executor kubernetes only."));
        if (call.Value(options.DryRun))
        {
            return Task.FromResult(kubernetes
                ? DryRunKubernetes(call, options)
                : call.Cli.Usage("--dry-run prints the Kubernetes Jobs of a run: add --executor kubernetes."));
        }
        if (call.Value(options.Local))
            return RunLocalAsync(call, options);
        return kubernetes
            ? Task.FromResult(call.Cli.Usage("A server runs steps with its own executor (Slipway:Pipelines:Executor); --executor applies to --local and --dry-run."))
            : RunOnServerAsync(call, options);
    }

    /// <summary>Prints every Job a run would submit, resolved as far as a run that has not started allows.</summary>
    private static int DryRunKubernetes(ClientInvocation call, RunOptions options)
    {
        var target = call.Value(options.Target)!;
        if (!LooksLikeFile(target))
            return call.Cli.Usage("--dry-run needs a pipeline file.");
        var (definition, exitCode) = Load(call.Cli, target);
        if (definition is null)
            return exitCode;
        var (overrides, problem) = ParseParams(definition, call.Value(options.Params) ?? []);
        if (overrides is null)
            return call.Cli.Usage(problem!);
        try
        {
            call.Cli.Out.Write(KubernetesDryRun.Render(definition, overrides, options.KubernetesOptions(call.ParseResult)));
            return CliApp.Success;
        }
        catch (Exception e) when (e is ArgumentException or KubernetesManifestException)
        {
            return call.Cli.Usage(e.Message);
        }
    }

    private static async Task<int> RunLocalAsync(ClientInvocation call, RunOptions options)
    {
        // The shared client options bring --json; --local prints lines as steps finish and has no JSON shape.
        if (call.Json)
            return call.Cli.Usage("pipeline run --local has no --json output.");
        var (definition, exitCode) = Load(call.Cli, call.Value(options.Target)!);
        if (definition is null)
            return exitCode;
        var (overrides, problem) = ParseParams(definition, call.Value(options.Params) ?? []);
        if (overrides is null)
            return call.Cli.Usage(problem!);
        if (call.Value(options.MaxParallelism) is < 1)
            return call.Cli.Usage("--max-parallelism must be at least 1.");

        var runnerOptions = new PipelineRunnerOptions();
        if (call.Value(options.MaxParallelism) is { } limit)
            runnerOptions = runnerOptions with { MaxParallelism = limit };
        var executors = options.Kubernetes(call.ParseResult)
            ? PipelinesModule.CreateKubernetesExecutors(call.Client, options.KubernetesOptions(call.ParseResult))
            : PipelinesModule.CreateExecutors(call.Client);
        var runner = new PipelineRunner(executors, new InMemoryStepCache(), runnerOptions);
        var tracked = await new TrackedPipelineRun(call.Client, runner).RunAsync(definition, new TrackedPipelineRunRequest
        {
            Params = overrides,
            Experiment = call.Value(options.Experiment),
            WorkingDirectory = Environment.CurrentDirectory,
            OnStepFinished = state => call.Cli.Out.WriteLine(StepLine(state)),
        }, call.CancellationToken);
        WriteResult(call.Cli.Out, tracked);
        return tracked.Run.Status == PipelineRunStatus.Succeeded ? CliApp.Success : CliApp.Failure;
    }

    private static async Task<int> RunOnServerAsync(ClientInvocation call, RunOptions options)
    {
        if (call.Value(options.Experiment) is not null || call.Value(options.MaxParallelism) is not null)
            return call.Cli.Usage("--experiment and --max-parallelism apply to --local runs only.");
        var target = call.Value(options.Target)!;
        var workingDirectory = call.Value(options.WorkingDirectory);
        string name;
        Dictionary<string, string> overrides;
        if (LooksLikeFile(target))
        {
            var (definition, exitCode) = Load(call.Cli, target);
            if (definition is null)
                return exitCode;
            var (parsed, problem) = ParseParams(definition, call.Value(options.Params) ?? []);
            if (parsed is null)
                return call.Cli.Usage(problem!);
            overrides = parsed;
            workingDirectory ??= FileFolderIfLocal(call.Client.BaseAddress, target);
            var (pipeline, created) = await call.Client.ApplyPipelineAsync(await File.ReadAllTextAsync(target, call.CancellationToken),
                Path.GetFileName(target), workingDirectory, call.CancellationToken);
            name = pipeline.Name;
            if (!call.Json)
                call.Cli.Out.WriteLine($"{(created ? "Created" : "Updated")} pipeline {name} on the server.");
        }
        else
        {
            var (pipeline, _) = await call.Client.GetPipelineAsync(target, call.CancellationToken);
            name = pipeline.Name;
            var (parsed, problem) = ParseParams(pipeline.Name, pipeline.Params.Keys, call.Value(options.Params) ?? []);
            if (parsed is null)
                return call.Cli.Usage(problem!);
            overrides = parsed;
        }

        var run = await call.Client.StartPipelineRunAsync(name, overrides, workingDirectory, call.CancellationToken);
        if (call.Value(options.NoFollow))
        {
            if (call.Json)
                return call.WriteJson(run, PipelineCliJsonContext.Default.PipelineRun);
            call.Cli.Out.WriteLine($"Run {run.Id} {run.Status}; follow it with: slipway pipeline logs {run.Id} --follow");
            return CliApp.Success;
        }
        if (!call.Json)
            call.Cli.Out.WriteLine($"Run {run.Id} {run.Status}.");
        var finished = await FollowAsync(call, run, printSteps: !call.Json);
        if (call.Json)
            call.WriteJson(finished, PipelineCliJsonContext.Default.PipelineRun);
        else
            call.Cli.Out.WriteLine($"Pipeline {finished.Status}; run {finished.Id} in experiment {finished.ExperimentId}."
                + (finished.Error is null ? "" : $" ({finished.Error})"));
        return finished.Status == "succeeded" ? CliApp.Success : CliApp.Failure;
    }

    /// <summary>Polls a run until it ends, printing each step once as it reaches its final state.</summary>
    private static async Task<PipelineRun> FollowAsync(ClientInvocation call, PipelineRun run, bool printSteps, Func<PipelineStepRun, Task>? onStep = null)
    {
        var printed = new HashSet<string>(StringComparer.Ordinal);
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            foreach (var step in run.Steps.Where(s => s.IsFinished && printed.Add(s.StepId)).OrderBy(s => s.EndTime ?? long.MaxValue))
            {
                if (printSteps)
                    call.Cli.Out.WriteLine(StepLine(step));
                if (onStep is not null)
                    await onStep(step);
            }
            if (run.IsFinished)
                return run;
            await Task.Delay(delay, call.CancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 2000));
            run = await call.Client.GetPipelineRunAsync(run.Id, call.CancellationToken);
        }
    }

    /// <summary>A path that exists, or that names a YAML file, is a file; anything else a stored pipeline's name.</summary>
    private static bool LooksLikeFile(string target) =>
        File.Exists(target) || target.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || target.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
        || target.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static Option<string> WorkingDirectoryOption() => new("--working-directory")
    {
        Description = "The absolute folder (on the server) the steps run in, where the file's relative paths point. "
            + "Default: the file's folder when the server is on this machine, else a fresh folder per run.",
    };

    /// <summary>The pipeline file's folder when the server runs on this machine (so a folder here is one there); else null.</summary>
    private static string? FileFolderIfLocal(Uri server, string file) =>
        IsLocalServer(server) ? Path.GetDirectoryName(Path.GetFullPath(file)) : null;

    /// <summary>Whether the server runs on this machine, so a folder here is a folder there.</summary>
    private static bool IsLocalServer(Uri server) =>
        server.IsLoopback || (IPAddress.TryParse(server.Host, out var address) && IPAddress.IsLoopback(address));

    private static (Dictionary<string, string>? Overrides, string? Problem) ParseParams(string pipeline, IEnumerable<string> declared, string[] values)
    {
        var names = declared.ToHashSet(StringComparer.Ordinal);
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                return (null, $"--param must be NAME=VALUE (got '{value}').");
            var name = value[..equals];
            if (!names.Contains(name))
                return (null, $"pipeline '{pipeline}' declares no parameter '{name}' (declared: {(names.Count == 0 ? "none" : string.Join(", ", names))}).");
            overrides[name] = value[(equals + 1)..];
        }
        return (overrides, null);
    }
}
