using System.Globalization;
using Slipway.Client;
using Slipway.Monitoring.Data;
using Slipway.Pipelines.Execution;
using Slipway.Training.Command;
using Slipway.Training.Evaluation;
using Slipway.Training.Tabular;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>
/// <c>uses: train</c>: trains a tabular model with <see cref="TrainCommandCore"/> (what <c>slipway train</c> runs)
/// into the step's child run, or into a new run of <c>experiment</c> when the pipeline is not tracked.
/// </summary>
/// <remarks>
/// <c>with:</c> <c>data</c> (local path, <c>runs:/…</c> or <c>mlflow-artifacts:/…</c>), <c>label</c>, <c>task</c>
/// (binary|multiclass|regression), <c>trainer</c> (lightgbm by default; fasttree, sdca, auto), <c>experiment</c>,
/// <c>register_as</c>, <c>validation_fraction</c>, <c>cv</c>, <c>seed</c>, <c>positive_class</c>, <c>exclude</c>
/// (comma-separated columns), <c>iterations</c>, <c>leaves</c>, <c>learning_rate</c>, <c>min_data_in_leaf</c>,
/// <c>onnx</c> (true by default: export and verify an ONNX copy).
/// Outputs <c>run_id</c>, <c>model_uri</c>, <c>onnx_uri</c> (empty without an ONNX export), <c>metric</c>/<c>value</c>
/// (the task's default metric on validation) and, when registered, <c>model_name</c> and <c>version</c>.
/// </remarks>
public sealed class TrainStepExecutor(SlipwayClient client) : BuiltInStepExecutor(client)
{
    private static readonly string[] Tasks = ["binary", "multiclass", "regression"];
    private static readonly string[] Trainers = ["lightgbm", "fasttree", "sdca", "auto"];

    protected override async Task<StepResult> ExecuteCoreAsync(StepArguments arguments, StepInvocation invocation, CancellationToken cancellationToken)
    {
        var dataLocation = arguments.Required("data");
        var options = Options(arguments);
        var experiment = arguments.Optional("experiment") ?? invocation.PipelineName;
        var registerAs = arguments.Optional("register_as");

        using var scratch = new ScratchDirectory(invocation.StepId);
        var path = await new ArtifactFetcher(Client).FetchFileAsync(dataLocation, invocation.WorkingDirectory, scratch.Path, cancellationToken);
        var data = await FrameReader.ReadAsync(path, cancellationToken);
        Log(invocation, $"training {options.Trainer.ToString().ToLowerInvariant()} ({options.Task.ToString().ToLowerInvariant()}, label '{options.Label}') on {data.RowCount} rows × {data.Columns.Count} columns from {dataLocation}");

        var request = new TrainCommandRequest
        {
            Data = data,
            DataSource = dataLocation.Contains(":/", StringComparison.Ordinal) ? dataLocation : path,
            Training = options,
            Experiment = experiment,
            RunName = invocation.StepId,
            RunId = invocation.MlflowRunId,
            RegisterAs = registerAs,
            ExportOnnx = arguments.Flag("onnx", true),
        };
        var progress = new LogProgress(invocation);
        var outcome = await new TrainCommandCore(Client).RunAsync(request, progress, cancellationToken);

        var metric = EvaluationMetrics.Default(options.Task);
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["run_id"] = outcome.RunId,
            ["model_uri"] = outcome.ModelUri,
            ["onnx_uri"] = outcome.OnnxUri ?? "",
            ["metric"] = metric,
            ["value"] = outcome.Result.Metrics.TryGetValue(metric, out var value) ? ModelAssessor.Exact(value) : "",
            ["model_name"] = outcome.Version?.Name ?? "",
            ["version"] = outcome.Version?.Version ?? "",
        };
        foreach (var (name, score) in outcome.Result.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            Log(invocation, $"{name} = {ModelAssessor.Format(score)}");
        Log(invocation, $"logged {outcome.ModelUri}" + (outcome.OnnxUri is { } onnx ? $" and {onnx}" : "")
            + (outcome.Version is { } v ? $", registered as {v.Name} version {v.Version}" : ""));
        if (outcome.Onnx?.Problem is { } problem)
            invocation.Log.Write(StepLogStream.Stderr, $"no ONNX copy logged: {problem}");
        return StepResult.Success(outputs);
    }

    private static TrainingOptions Options(StepArguments arguments)
    {
        var task = Enum.Parse<TrainingTask>(arguments.Choice("task", Tasks), ignoreCase: true);
        var trainer = arguments.Choice("trainer", Trainers, "lightgbm") switch
        {
            "fasttree" => TrainerKind.FastTree,
            "sdca" => TrainerKind.Sdca,
            "auto" => TrainerKind.Auto,
            _ => TrainerKind.LightGbm,
        };
        var fraction = arguments.Number("validation_fraction", 0.2);
        if (fraction is <= 0 or >= 1)
            throw new StepArgumentException("validation_fraction", $"with: validation_fraction = '{fraction.ToString(CultureInfo.InvariantCulture)}' must be between 0 and 1");
        var folds = arguments.Integer("cv", 0);
        if (folds is 1 or < 0)
            throw new StepArgumentException("cv", $"with: cv = '{folds}' must be 0 (a validation split) or at least 2 folds");
        return new TrainingOptions
        {
            Label = arguments.Required("label"),
            Task = task,
            Trainer = trainer,
            Seed = arguments.Integer("seed", 0),
            ValidationFraction = fraction,
            CrossValidationFolds = folds,
            PositiveClass = arguments.Optional("positive_class"),
            NumberOfIterations = Positive(arguments, "iterations", 1),
            NumberOfLeaves = Positive(arguments, "leaves", 2),
            LearningRate = arguments.OptionalNumber("learning_rate") is { } rate
                ? rate > 0 ? rate : throw new StepArgumentException("learning_rate", $"with: learning_rate = '{rate.ToString(CultureInfo.InvariantCulture)}' must be positive")
                : null,
            MinimumExampleCountPerLeaf = Positive(arguments, "min_data_in_leaf", 1),
            ExcludedColumns = (arguments.Optional("exclude") ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }

    private static int? Positive(StepArguments arguments, string key, int minimum)
    {
        var value = arguments.OptionalInteger(key);
        if (value < minimum)
            throw new StepArgumentException(key, $"with: {key} = '{value}' must be at least {minimum}");
        return value;
    }

    /// <summary>
    /// Writes each phase to the step log as it is reported; unlike <see cref="Progress{T}"/>, nothing is posted to the
    /// thread pool, so no line can arrive after the step has returned.
    /// </summary>
    private sealed class LogProgress(StepInvocation invocation) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) =>
            Log(invocation, $"{value.Phase} ({(int)Math.Round(value.Fraction * 100)}%)");
    }
}
