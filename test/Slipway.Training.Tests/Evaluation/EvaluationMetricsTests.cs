using Slipway.Training.Evaluation;
using Slipway.Training.Tabular;

namespace Slipway.Training.Tests.Evaluation;

public sealed class EvaluationMetricsTests
{
    [Theory]
    [InlineData(TrainingTask.Binary, "auc")]
    [InlineData(TrainingTask.Multiclass, "accuracy")]
    [InlineData(TrainingTask.Regression, "rmse")]
    public void Default_PerTask(TrainingTask task, string metric) => Assert.Equal(metric, EvaluationMetrics.Default(task));

    [Theory]
    [InlineData(TrainingTask.Multiclass, "micro_accuracy", "accuracy")]
    [InlineData(TrainingTask.Binary, " AUC ", "auc")]
    [InlineData(TrainingTask.Binary, "rmse", null)]
    [InlineData(TrainingTask.Binary, "micro_accuracy", null)]
    [InlineData(TrainingTask.Regression, "r2", "r2")]
    public void Canonical_KnownNamesOnlyForTheirTask(TrainingTask task, string metric, string? expected) =>
        Assert.Equal(expected, EvaluationMetrics.Canonical(task, metric));

    [Theory]
    [InlineData("rmse", true)]
    [InlineData("MAE", true)]
    [InlineData("log_loss", true)]
    [InlineData("auc", false)]
    [InlineData("r2", false)]
    public void LowerIsBetter_ErrorsAndLosses(string metric, bool lower) => Assert.Equal(lower, EvaluationMetrics.LowerIsBetter(metric));

    [Theory]
    [InlineData("Binary", true)]
    [InlineData("regression", true)]
    [InlineData("2", false)]
    [InlineData("ranking", false)]
    [InlineData(null, false)]
    public void TryParseTask_NamesOnly(string? text, bool parses) => Assert.Equal(parses, EvaluationMetrics.TryParseTask(text, out _));
}
