using System.Globalization;
using Slipway.Client;
using Slipway.Monitoring.Data;
using Slipway.Pipelines.Execution;
using Slipway.Training.Evaluation;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>
/// <c>uses: gate</c>: evaluates a candidate and the current champion on the same holdout and lets the pipeline go on
/// only when the candidate reaches the threshold and beats the champion by the margin.
/// </summary>
/// <remarks>
/// <c>with:</c> <c>candidate</c> (model URI), <c>champion</c> (model URI; default <c>models:/&lt;name&gt;@champion</c>
/// for a <c>models:/</c> candidate; a champion that does not exist means "no champion yet"), <c>data</c>,
/// <c>label</c>, <c>task</c>, <c>metric</c>, <c>threshold</c>, <c>min_improvement</c> (default 0) and
/// <c>direction</c> (higher|lower; default lower for rmse, mae, mse and log_loss). A candidate that does not pass
/// fails the step, so the steps after it are skipped. Outputs <c>passed</c>, <c>metric</c>,
/// <c>candidate_metric</c> and <c>champion_metric</c> (the values; the latter empty without a champion).
/// </remarks>
public sealed class GateStepExecutor(SlipwayClient client) : BuiltInStepExecutor(client)
{
    public const string VerdictTag = "slipway.gate.verdict";
    public const string ReasonTag = "slipway.gate.reason";

    private static readonly string[] Directions = ["higher", "lower"];

    protected override async Task<StepResult> ExecuteCoreAsync(StepArguments arguments, StepInvocation invocation, CancellationToken cancellationToken)
    {
        var candidateUri = arguments.Required("candidate");
        var dataLocation = arguments.Required("data");
        var championUri = arguments.Optional("champion") ?? DefaultChampion(candidateUri);
        var task = EvaluateStepExecutor.TaskArgument(arguments);
        var label = arguments.Optional("label");
        var requestedMetric = arguments.Optional("metric");
        var threshold = arguments.OptionalNumber("threshold");
        var margin = arguments.Number("min_improvement", 0);
        if (margin < 0)
            throw new StepArgumentException("min_improvement", $"with: min_improvement = '{arguments.Optional("min_improvement")}' must not be negative");
        var direction = arguments.Has("direction") ? arguments.Choice("direction", Directions) : null;
        if (task is { } known)
            ModelAssessor.MetricFor(known, requestedMetric);

        var assessor = new ModelAssessor(Client);
        using var scratch = new ScratchDirectory(invocation.StepId);
        var holdout = await assessor.ReadHoldoutAsync(dataLocation, invocation.WorkingDirectory, scratch.Path, cancellationToken);
        var candidate = await assessor.AssessAsync(candidateUri, holdout, task, label, invocation.WorkingDirectory, scratch.Path, cancellationToken);
        EvaluateStepExecutor.WarnAboutUnseenClasses(invocation, candidate);
        var metric = ModelAssessor.MetricFor(candidate.Task, requestedMetric);
        var lowerIsBetter = direction is null ? EvaluationMetrics.LowerIsBetter(metric) : direction == "lower";
        var candidateValue = candidate.Result.Metrics[metric];
        Log(invocation, $"candidate {candidateUri}: {metric} = {ModelAssessor.Format(candidateValue)} on {holdout.RowCount} rows ({(lowerIsBetter ? "lower" : "higher")} is better)");

        double? championValue = null;
        if (championUri is not null)
        {
            var champion = await TryAssessChampionAsync(assessor, championUri, holdout, candidate, invocation, scratch.Path, cancellationToken);
            championValue = champion?.Result.Metrics[metric];
            if (championValue is { } value)
                Log(invocation, $"champion {championUri}: {metric} = {ModelAssessor.Format(value)}");
        }
        else
        {
            Log(invocation, "no champion to compare with (the candidate is not a models:/ URI and no 'champion' was given); gating on the threshold only");
        }

        var failure = Verdict(metric, candidateValue, championValue, threshold, margin, lowerIsBetter);
        await RecordAsync(invocation, metric, candidateValue, championValue, failure, cancellationToken);
        if (failure is not null)
            return Fail(invocation, failure);

        Log(invocation, "gate passed");
        return StepResult.Success(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["passed"] = "true",
            ["metric"] = metric,
            ["candidate_metric"] = ModelAssessor.Exact(candidateValue),
            ["champion_metric"] = championValue is { } c ? ModelAssessor.Exact(c) : "",
        });
    }

    /// <summary>The reason the candidate fails, or null when it passes.</summary>
    internal static string? Verdict(string metric, double candidate, double? champion, double? threshold, double margin, bool lowerIsBetter)
    {
        if (double.IsNaN(candidate))
            return $"gate failed: candidate {metric} is not a number on this holdout";
        if (threshold is { } limit && (lowerIsBetter ? candidate > limit : candidate < limit))
        {
            return $"gate failed: candidate {metric} {ModelAssessor.Format(candidate)} {(lowerIsBetter ? ">" : "<")} threshold {ModelAssessor.Format(limit)}";
        }
        if (champion is { } best && !double.IsNaN(best))
        {
            var needed = lowerIsBetter ? best - margin : best + margin;
            if (lowerIsBetter ? candidate > needed : candidate < needed)
            {
                return $"gate failed: candidate {metric} {ModelAssessor.Format(candidate)} {(lowerIsBetter ? ">" : "<")} champion {ModelAssessor.Format(best)} " +
                    $"{(lowerIsBetter ? "-" : "+")} margin {margin.ToString("0.0000", CultureInfo.InvariantCulture)}";
            }
        }
        return null;
    }

    /// <summary><c>models:/name/3</c> or <c>models:/name@alias</c> → <c>models:/name@champion</c>; null for other URIs.</summary>
    internal static string? DefaultChampion(string candidateUri) =>
        RegisteredModelUri.TryParse(candidateUri, out var candidate) ? RegisteredModelUri.OfAlias(candidate.Name, "champion") : null;

    private async Task<Assessment?> TryAssessChampionAsync(
        ModelAssessor assessor, string championUri, DataFrame holdout, Assessment candidate,
        StepInvocation invocation, string scratch, CancellationToken ct)
    {
        try
        {
            // The champion is judged as the candidate's task and label, so both are scored the same way.
            return await assessor.AssessAsync(championUri, holdout, candidate.Task, candidate.Label, invocation.WorkingDirectory, scratch, ct);
        }
        catch (SlipwayApiException e) when (championUri.StartsWith("models:/", StringComparison.OrdinalIgnoreCase)
            && (e.IsNotFound || e.ErrorCode == ApiErrorCodes.InvalidParameterValue))
        {
            // An unknown model or alias: the first model of a name has nothing to beat.
            Log(invocation, $"no champion yet ({championUri}: {e.Message}); gating on the threshold only");
            return null;
        }
    }

    private async Task RecordAsync(StepInvocation invocation, string metric, double candidate, double? champion, string? failure, CancellationToken ct)
    {
        if (invocation.MlflowRunId is not { } runId)
            return;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var metrics = new List<Metric>();
        if (double.IsFinite(candidate))
            metrics.Add(new Metric($"gate.candidate_{metric}", candidate, now, 0));
        if (champion is { } value && double.IsFinite(value))
            metrics.Add(new Metric($"gate.champion_{metric}", value, now, 0));
        var tags = new List<Tag> { new(VerdictTag, failure is null ? "passed" : "failed") };
        if (failure is not null)
            tags.Add(new Tag(ReasonTag, failure));
        await Client.LogBatchAsync(runId, metrics: metrics, tags: tags, ct: ct);
    }
}
