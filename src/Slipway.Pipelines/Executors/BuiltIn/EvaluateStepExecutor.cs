using System.Globalization;
using Slipway.Client;
using Slipway.Pipelines.Execution;
using Slipway.Training.Tabular;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>
/// <c>uses: evaluate</c>: scores a model on a holdout and logs every metric of its task to the step's child run.
/// </summary>
/// <remarks>
/// <c>with:</c> <c>model</c> (<c>models:/name/3</c>, <c>models:/name@alias</c>, <c>runs:/…/model</c>), <c>data</c>
/// (holdout file or URI), <c>label</c> and <c>task</c> (both default to the model's source run's params),
/// <c>metric</c> (default auc, accuracy or rmse by task). Outputs <c>run_id</c> (the child run, empty when not
/// tracked), <c>metric</c> and <c>value</c>.
/// </remarks>
public sealed class EvaluateStepExecutor(SlipwayClient client) : BuiltInStepExecutor(client)
{
    internal static readonly string[] Tasks = ["binary", "multiclass", "regression"];

    protected override async Task<StepResult> ExecuteCoreAsync(StepArguments arguments, StepInvocation invocation, CancellationToken cancellationToken)
    {
        var modelUri = arguments.Required("model");
        var dataLocation = arguments.Required("data");
        var task = TaskArgument(arguments);
        var label = arguments.Optional("label");
        var requestedMetric = arguments.Optional("metric");
        if (task is { } known)
            ModelAssessor.MetricFor(known, requestedMetric);

        var assessor = new ModelAssessor(Client);
        using var scratch = new ScratchDirectory(invocation.StepId);
        var holdout = await assessor.ReadHoldoutAsync(dataLocation, invocation.WorkingDirectory, scratch.Path, cancellationToken);
        Log(invocation, $"evaluating {modelUri} on {holdout.RowCount} rows from {dataLocation}");
        var assessment = await assessor.AssessAsync(modelUri, holdout, task, label, invocation.WorkingDirectory, scratch.Path, cancellationToken);
        var metric = ModelAssessor.MetricFor(assessment.Task, requestedMetric);
        var metrics = assessment.Result.Metrics;
        WarnAboutUnseenClasses(invocation, assessment);
        foreach (var (name, score) in metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            Log(invocation, $"{name} = {ModelAssessor.Format(score)}");

        if (invocation.MlflowRunId is { } runId)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await Client.LogBatchAsync(
                runId,
                metrics: metrics.Where(m => double.IsFinite(m.Value)).Select(m => new Metric(m.Key, m.Value, now, 0)),
                parameters:
                [
                    new Param("model_uri", modelUri),
                    new Param("data", dataLocation),
                    new Param("task", assessment.Task.ToString().ToLowerInvariant()),
                    new Param("label", assessment.Label),
                    new Param("rows", assessment.Result.Rows.ToString(CultureInfo.InvariantCulture)),
                ],
                tags: [new Tag("slipway.evaluate.metric", metric)],
                ct: cancellationToken);
        }

        return StepResult.Success(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["run_id"] = invocation.MlflowRunId ?? "",
            ["metric"] = metric,
            ["value"] = ModelAssessor.Exact(metrics[metric]),
        });
    }

    internal static TrainingTask? TaskArgument(StepArguments arguments) =>
        arguments.Has("task") ? Enum.Parse<TrainingTask>(arguments.Choice("task", Tasks), ignoreCase: true) : null;

    internal static void WarnAboutUnseenClasses(StepInvocation invocation, Assessment assessment)
    {
        if (assessment.Result.UnseenClassRows > 0)
        {
            invocation.Log.Write(StepLogStream.Stderr,
                $"{assessment.Result.UnseenClassRows} of {assessment.Result.Rows} holdout rows have a class {assessment.ModelUri} never saw; they are left out of the metrics");
        }
    }
}
