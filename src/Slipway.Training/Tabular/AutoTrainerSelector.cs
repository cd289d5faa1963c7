using System.Globalization;
using Microsoft.ML;
using Slipway.Training.Data;

namespace Slipway.Training.Tabular;

/// <summary>The trainer <see cref="TrainerKind.Auto"/> chose, the metric it compared on, and each candidate's score.</summary>
internal sealed record AutoSelection(TrainerKind Trainer, string Metric, IReadOnlyList<(TrainerKind Trainer, double Score)> Scores)
{
    public string Describe() => string.Join(",", Scores.Select(s =>
        $"{s.Trainer.ToString().ToLowerInvariant()}:{s.Score.ToString("G6", CultureInfo.InvariantCulture)}"));
}

/// <summary>
/// Resolves <see cref="TrainerKind.Auto"/> by a quick comparison: every trainer is fitted on a seeded sample of at
/// most <see cref="SampleRows"/> training rows and scored on a held-out part of that sample, so the cost stays a few
/// seconds whatever the data size. Only training rows are used, never the validation split the final metrics
/// come from. Ties go to the earlier candidate, LightGBM first, which is also the pick when nothing can be scored.
/// </summary>
internal static class AutoTrainerSelector
{
    public const int SampleRows = 20_000;

    private static readonly TrainerKind[] Candidates = [TrainerKind.LightGbm, TrainerKind.FastTree, TrainerKind.Sdca];

    /// <param name="rowEstimate">About how many rows <paramref name="trainingRows"/> has: a split's part cannot count
    /// its rows without a pass over them.</param>
    public static AutoSelection Select(
        MLContext context, IDataView trainingRows, long rowEstimate, ConvertedFrame frame, TrainingOptions options, CancellationToken ct)
    {
        // Nested splits need seeds of their own: with the outer split's seed ML.NET draws the same sampling key per
        // row, so every row left in the training part would land on the same side again and one side would be empty.
        var rows = trainingRows.GetRowCount() ?? rowEstimate;
        var sample = rows > SampleRows
            ? context.Data.TrainTestSplit(trainingRows, 1 - (double)SampleRows / rows, seed: options.Seed + 1).TrainSet
            : trainingRows;
        var split = context.Data.TrainTestSplit(sample, 0.25, seed: options.Seed + 2);
        var (metric, higherIsBetter) = PrimaryMetric(options.Task);

        var scores = new List<(TrainerKind, double)>(Candidates.Length);
        var best = TrainerKind.LightGbm;
        var bestScore = double.NaN;
        foreach (var candidate in Candidates)
        {
            ct.ThrowIfCancellationRequested();
            var hyper = ResolvedHyperParameters.From(options, candidate);
            var model = PipelineFactory.Create(context, frame, options.Task, hyper).Fit(split.TrainSet);
            var score = MetricsCalculator.Evaluate(context, options.Task, model.Transform(split.TestSet))[metric];
            scores.Add((candidate, score));
            if (!double.IsNaN(score) && (double.IsNaN(bestScore) || (higherIsBetter ? score > bestScore : score < bestScore)))
            {
                best = candidate;
                bestScore = score;
            }
        }

        return new AutoSelection(best, metric, scores);
    }

    private static (string Metric, bool HigherIsBetter) PrimaryMetric(TrainingTask task) => task switch
    {
        TrainingTask.Binary => ("auc", true),
        TrainingTask.Multiclass => ("accuracy", true),
        _ => ("rmse", false),
    };
}
