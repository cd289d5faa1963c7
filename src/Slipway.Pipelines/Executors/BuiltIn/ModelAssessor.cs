using System.Globalization;
using Slipway.Client;
using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Training.Evaluation;
using Slipway.Training.Tabular;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>One model scored on a holdout, with the task and label it was scored for.</summary>
internal sealed record Assessment(string ModelUri, TrainingTask Task, string Label, EvaluationResult Result, string? SourceRunId);

/// <summary>
/// Downloads a model through the SDK and evaluates it on a holdout with <see cref="ModelEvaluator"/>. The task,
/// label and positive class default to what the model's source run recorded as params (<c>slipway train</c> logs
/// <c>task</c>, <c>label</c> and <c>positive_class</c>), so a step only has to name them for foreign models.
/// </summary>
internal sealed class ModelAssessor(SlipwayClient client)
{
    private readonly ArtifactFetcher _fetcher = new(client);

    public async Task<DataFrame> ReadHoldoutAsync(string location, string workingDirectory, string workDirectory, CancellationToken ct)
    {
        var path = await _fetcher.FetchFileAsync(location, workingDirectory, workDirectory, ct);
        return await FrameReader.ReadAsync(path, ct);
    }

    /// <param name="task">The task; null to take the source run's.</param>
    /// <param name="label">The label column; null to take the source run's.</param>
    public async Task<Assessment> AssessAsync(
        string modelUri, DataFrame holdout, TrainingTask? task, string? label, string workingDirectory, string workDirectory, CancellationToken ct)
    {
        var model = await _fetcher.FetchModelAsync(modelUri, workingDirectory, workDirectory, ct);
        var info = ModelDirectoryInfo.Read(model.Directory);
        var sourceRunId = model.RunId ?? info.RunId;
        var recorded = await RecordedParamsAsync(sourceRunId, ct);

        var resolvedTask = task ?? (recorded.TryGetValue("task", out var t) && EvaluationMetrics.TryParseTask(t, out var parsed)
            ? parsed
            : throw new StepArgumentException("task", $"the task of {modelUri} is not recorded on its source run; set 'with: task' (binary, multiclass or regression)"));
        var resolvedLabel = label ?? recorded.GetValueOrDefault("label")
            ?? throw new StepArgumentException("label", $"the label of {modelUri} is not recorded on its source run; set 'with: label'");
        var options = new EvaluationOptions
        {
            Label = resolvedLabel,
            Task = resolvedTask,
            PositiveClass = recorded.GetValueOrDefault("positive_class"),
        };
        var result = await Task.Run(() => ModelEvaluator.Evaluate(model.Directory, holdout, options), ct);
        return new Assessment(modelUri, resolvedTask, resolvedLabel, result, sourceRunId);
    }

    /// <summary>The canonical metric name for the task, or a step error listing the ones available.</summary>
    public static string MetricFor(TrainingTask task, string? requested)
    {
        if (requested is null)
            return EvaluationMetrics.Default(task);
        return EvaluationMetrics.Canonical(task, requested)
            ?? throw new StepArgumentException("metric", $"with: metric = '{requested}' is not a {task.ToString().ToLowerInvariant()} metric; use one of {string.Join(", ", EvaluationMetrics.For(task))}");
    }

    public static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    public static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private async Task<IReadOnlyDictionary<string, string>> RecordedParamsAsync(string? runId, CancellationToken ct)
    {
        if (runId is null)
            return new Dictionary<string, string>();
        try
        {
            var run = await client.GetRunAsync(runId, ct);
            return run.Data.Params.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        }
        catch (SlipwayApiException e) when (e.IsNotFound)
        {
            // A model whose run was deleted still evaluates when the step names task and label.
            return new Dictionary<string, string>();
        }
    }
}
