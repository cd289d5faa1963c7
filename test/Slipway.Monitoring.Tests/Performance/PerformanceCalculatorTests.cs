using Slipway.Monitoring.Data;
using Slipway.Monitoring.Performance;

namespace Slipway.Monitoring.Tests.Performance;

/// <summary>
/// Expected values are worked out by hand from scikit-learn's definitions; where scikit-learn's documentation has
/// the same example, its printed value is quoted.
/// </summary>
public sealed class PerformanceCalculatorTests
{
    private static readonly PerformanceSpec Classification = new() { PredictionColumn = "out_label", ProbabilityColumn = "out_probabilities_1" };
    private static readonly PerformanceSpec Regression = new() { Task = PerformanceTask.Regression, PredictionColumn = "out_variable" };

    [Fact]
    public void Compute_BinaryWithTiedProbabilities_MatchesScikitLearn()
    {
        string?[] labels = ["1", "0", "1", "1", "0", "1", "0", "0"];
        var predictions = Float(1, 0, 0, 1, 1, 1, 1, 0);
        var probabilities = Float(0.9, 0.1, 0.6, 0.8, 0.6, 0.7, 0.6, 0.2);

        var result = PerformanceCalculator.Compute(Classification, predictions, probabilities, labels);

        Assert.Equal(8, result.LabelledRows);
        // TP 3, FP 2, FN 1, TN 2.
        Assert.Equal(0.625, result.Metrics["accuracy"], 12);
        Assert.Equal(0.6, result.Metrics["precision"], 12);
        Assert.Equal(0.75, result.Metrics["recall"], 12);
        Assert.Equal(2.0 / 3, result.Metrics["f1"], 12);
        // 16 positive/negative pairs: 14 ordered right, the positive at 0.6 ties two negatives (half each): 15/16.
        Assert.Equal(0.9375, result.Metrics["roc_auc"], 12);
        var expectedLoss = -(Math.Log(0.9) + Math.Log(0.6) + Math.Log(0.8) + Math.Log(0.7) + Math.Log(0.9) + Math.Log(0.4) + Math.Log(0.4) + Math.Log(0.8)) / 8;
        Assert.Equal(expectedLoss, result.Metrics["log_loss"], 12);
    }

    [Fact]
    public void Compute_ScikitLearnDocumentationExamples_GiveTheirPrintedValues()
    {
        // roc_auc_score docs: y_true [0, 0, 1, 1], y_scores [0.1, 0.4, 0.35, 0.8] → 0.75.
        var auc = PerformanceCalculator.Compute(Classification, Float(0, 0, 1, 1), Float(0.1, 0.4, 0.35, 0.8), ["0", "0", "1", "1"]);
        // log_loss docs: ["spam", "ham", "ham", "spam"] with P(spam) 0.9, 0.1, 0.2, 0.65 → 0.21616…
        var spam = Classification with { PositiveLabel = "spam" };
        var loss = PerformanceCalculator.Compute(spam, Text("spam", "ham", "ham", "spam"), Float(0.9, 0.1, 0.2, 0.65), ["spam", "ham", "ham", "spam"]);

        Assert.Equal(0.75, auc.Metrics["roc_auc"], 12);
        Assert.Equal(0.21616187468057912, loss.Metrics["log_loss"], 12);
        Assert.Equal(1, loss.Metrics["precision"]);
    }

    [Fact]
    public void Compute_CertainWrongProbability_IsClippedAtOneEMinus15()
    {
        var result = PerformanceCalculator.Compute(Classification, Float(1, 1), Float(1, 1), ["0", "1"]);

        // As NumPy computes it: the negative row's p = 1 becomes 1 - 1e-15, so its loss is -ln(1 - (1 - 1e-15)), about 34.43.
        Assert.Equal((-Math.Log(1 - (1 - 1e-15)) - Math.Log(1 - 1e-15)) / 2, result.Metrics["log_loss"], 12);
        Assert.InRange(result.Metrics["log_loss"], 17.2, 17.3);
    }

    [Fact]
    public void Compute_NumbersInEitherForm_AreOneClass()
    {
        var whole = DataColumn.Numeric("out_label", ColumnDtype.Int64, [1, 0, 1, 0]);

        var numericPredictions = PerformanceCalculator.Compute(Classification, Float(1.0, 0.0, 1.0, -0.0), null, ["1", "0", "1.0", "0"]);
        var intPredictions = PerformanceCalculator.Compute(Classification, whole, null, ["1.0", "0.00", " 1", "0e0"]);
        var textPredictions = PerformanceCalculator.Compute(Classification, Text("1.0", "0", "1", "0"), null, ["1", "0", "1", "0"]);

        Assert.All(new[] { numericPredictions, intPredictions, textPredictions }, r => Assert.Equal(1, r.Metrics["accuracy"]));
        Assert.Equal(1, numericPredictions.Metrics["f1"]);
    }

    [Fact]
    public void Compute_MoreThanTwoClasses_MacroAveragesLikeScikitLearn()
    {
        var result = PerformanceCalculator.Compute(Classification, Text("a", "b", "b", "b", "c", "a"), Float(0.1, 0.2, 0.3, 0.4, 0.5, 0.6), ["a", "a", "b", "b", "c", "c"]);

        // Per class (P, R, F1): a (1/2, 1/2, 1/2), b (2/3, 1, 4/5), c (1, 1/2, 2/3).
        Assert.Equal(4.0 / 6, result.Metrics["accuracy"], 12);
        Assert.Equal((0.5 + 2.0 / 3 + 1) / 3, result.Metrics["precision"], 12);
        Assert.Equal((0.5 + 1 + 0.5) / 3, result.Metrics["recall"], 12);
        Assert.Equal((0.5 + 0.8 + 2.0 / 3) / 3, result.Metrics["f1"], 12);
        Assert.False(result.Metrics.ContainsKey("roc_auc"));
        Assert.False(result.Metrics.ContainsKey("log_loss"));
    }

    [Fact]
    public void Compute_PredictedClassNoLabelHas_CountsZeroForItInTheMacroAverage()
    {
        var result = PerformanceCalculator.Compute(Classification, Text("a", "b", "d"), null, ["a", "b", "a"]);

        Assert.Equal(2.0 / 3, result.Metrics["precision"], 12);
        Assert.Equal(0.5, result.Metrics["recall"], 12);
        Assert.Equal(5.0 / 9, result.Metrics["f1"], 12);
    }

    [Fact]
    public void Compute_OnlyNegativeLabelsAndPredictions_LeavesUndefinedMetricsOut()
    {
        var result = PerformanceCalculator.Compute(Classification, Float(0, 0, double.NaN), Float(0.2, 0.4, 0.5), ["0", "0", "1"]);

        Assert.Equal(2, result.LabelledRows);
        Assert.Equal(1, result.Metrics["accuracy"]);
        Assert.Equal(["accuracy", "log_loss"], result.Metrics.Keys.Order());
    }

    [Fact]
    public void Compute_Regression_MatchesScikitLearnAndSkipsUnparsableLabels()
    {
        // mean_absolute_error / mean_squared_error / r2_score docs: y_true [3, -0.5, 2, 7], y_pred [2.5, 0.0, 2, 8].
        string?[] labels = ["3", "-0.5", "2", "7", "abc", null, "NaN", "4"];
        var predictions = Float(2.5, 0.0, 2, 8, 1, 1, 1, double.NaN);

        var result = PerformanceCalculator.Compute(Regression, predictions, null, labels, out var skipped);

        Assert.Equal(4, result.LabelledRows);
        Assert.Equal(2, skipped);
        Assert.Equal(0.5, result.Metrics["mae"], 12);
        Assert.Equal(Math.Sqrt(0.375), result.Metrics["rmse"], 12);
        Assert.Equal(0.9486081370449679, result.Metrics["r2"], 12);
    }

    [Fact]
    public void Compute_RegressionWithConstantLabels_LeavesR2Out()
    {
        var result = PerformanceCalculator.Compute(Regression, Text("1", "3"), null, ["2", "2.0"]);

        Assert.Equal(1, result.Metrics["mae"]);
        Assert.Equal(1, result.Metrics["rmse"]);
        Assert.False(result.Metrics.ContainsKey("r2"));
    }

    [Fact]
    public void Compute_NoLabelledRows_HasNoMetrics()
    {
        var result = PerformanceCalculator.Compute(Classification, Float(1, 0), Float(0.9, 0.1), [null, null]);

        Assert.Equal(0, result.LabelledRows);
        Assert.Empty(result.Metrics);
    }

    private static DataColumn Float(params double[] values) => DataColumn.Numeric("c", ColumnDtype.Float64, values);

    private static DataColumn Text(params string?[] values) => DataColumn.Text("c", values);
}
