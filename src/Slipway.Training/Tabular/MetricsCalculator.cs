using Microsoft.ML;
using Slipway.Training.Data;

namespace Slipway.Training.Tabular;

/// <summary>Evaluates scored rows into the metric names logged to runs (MLflow's snake_case convention).</summary>
internal static class MetricsCalculator
{
    public static Dictionary<string, double> Evaluate(MLContext context, TrainingTask task, IDataView scored)
    {
        const string label = FrameConverter.LabelColumn;
        switch (task)
        {
            case TrainingTask.Binary:
                var binary = context.BinaryClassification.Evaluate(scored, label);
                return new()
                {
                    ["auc"] = binary.AreaUnderRocCurve,
                    ["accuracy"] = binary.Accuracy,
                    ["f1"] = binary.F1Score,
                    ["log_loss"] = binary.LogLoss,
                    ["precision"] = binary.PositivePrecision,
                    ["recall"] = binary.PositiveRecall,
                };
            case TrainingTask.Multiclass:
                var multi = context.MulticlassClassification.Evaluate(scored, label);
                return new()
                {
                    ["accuracy"] = multi.MicroAccuracy,
                    ["macro_accuracy"] = multi.MacroAccuracy,
                    ["log_loss"] = multi.LogLoss,
                };
            default:
                var regression = context.Regression.Evaluate(scored, label);
                return new()
                {
                    ["rmse"] = regression.RootMeanSquaredError,
                    ["mae"] = regression.MeanAbsoluteError,
                    ["r2"] = regression.RSquared,
                };
        }
    }

    /// <summary>Mean and sample standard deviation of each metric over the folds.</summary>
    public static Dictionary<string, FoldSummary> Summarize(IReadOnlyList<Dictionary<string, double>> folds)
    {
        var summary = new Dictionary<string, FoldSummary>(StringComparer.Ordinal);
        foreach (var name in folds[0].Keys)
        {
            var values = folds.Select(f => f[name]).ToArray();
            var mean = values.Average();
            var variance = values.Length > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1) : 0;
            summary[name] = new FoldSummary(mean, Math.Sqrt(variance));
        }
        return summary;
    }
}
