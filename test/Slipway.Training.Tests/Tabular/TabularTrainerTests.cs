using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Training.Tabular;

namespace Slipway.Training.Tests.Tabular;

public sealed class TabularTrainerTests
{
    private static TrainingOptions Options(string label, TrainingTask task, TrainerKind trainer = TrainerKind.Auto) => new()
    {
        Label = label,
        Task = task,
        Trainer = trainer,
        Seed = 7,
        ExcludedColumns = SyntheticData.LabelsExcept(label),
    };

    [Fact]
    public void Train_BinaryWithLightGbm_LearnsTheSignalAndReportsEveryMetric()
    {
        var progress = new List<TrainingProgress>();
        var result = TabularTrainer.Train(SyntheticData.Create(2000), Options("target", TrainingTask.Binary, TrainerKind.LightGbm), new SyncProgress(progress));

        Assert.True(result.Metrics["auc"] > 0.9, $"auc {result.Metrics["auc"]}");
        Assert.Equal(["accuracy", "auc", "f1", "log_loss", "precision", "recall"], result.Metrics.Keys.Order());
        Assert.Equal("lightgbm", result.Parameters["trainer"]);
        Assert.Equal("lightgbm", result.Parameters["trainer_requested"]);
        Assert.False(result.Parameters.ContainsKey("auto_scores"));
        Assert.Equal("6", result.Parameters["columns"]);
        Assert.Equal("2000", result.Parameters["rows"]);
        Assert.Equal(["x0", "x1", "x2", "x3", "x4", "color"], result.InputSchema.Select(c => c.Name));
        Assert.Equal("done", progress[^1].Phase);
        Assert.Equal(1, progress[^1].Fraction);
    }

    [Theory]
    [InlineData("target", TrainingTask.Binary, "auc")]
    [InlineData("amount", TrainingTask.Regression, "rmse")]
    public void Train_Auto_ComparesEveryTrainerAndKeepsTheBest(string label, TrainingTask task, string metric)
    {
        var result = TabularTrainer.Train(SyntheticData.Create(1500), Options(label, task));

        Assert.Equal(metric, result.Parameters["auto_metric"]);
        var scores = result.Parameters["auto_scores"].Split(',').Select(s => s.Split(':'))
            .ToDictionary(p => p[0], p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["fasttree", "lightgbm", "sdca"], scores.Keys.Order());
        var best = task == TrainingTask.Regression ? scores.MinBy(s => s.Value).Key : scores.MaxBy(s => s.Value).Key;
        Assert.Equal(best, result.Parameters["trainer"]);
    }

    [Fact]
    public void Train_BinaryStringLabelWithoutPositiveClass_AsksForIt()
    {
        var error = Assert.Throws<SlipwayException>(() => TabularTrainer.Train(SyntheticData.Create(200), Options("answer", TrainingTask.Binary)));
        Assert.Contains("positive class", error.Message);
    }

    [Fact]
    public void Train_BinaryStringLabelWithPositiveClass_Trains()
    {
        var options = Options("answer", TrainingTask.Binary, TrainerKind.FastTree) with { PositiveClass = "yes" };
        var result = TabularTrainer.Train(SyntheticData.Create(2000), options);

        Assert.True(result.Metrics["auc"] > 0.9, $"auc {result.Metrics["auc"]}");
        Assert.Equal("yes", result.Parameters["positive_class"]);
    }

    [Theory]
    [InlineData(TrainerKind.LightGbm)]
    [InlineData(TrainerKind.FastTree)]
    [InlineData(TrainerKind.Sdca)]
    public void Train_Multiclass_BeatsChance(TrainerKind trainer)
    {
        var result = TabularTrainer.Train(SyntheticData.Create(3000), Options("band", TrainingTask.Multiclass, trainer));

        Assert.True(result.Metrics["accuracy"] > 0.6, $"accuracy {result.Metrics["accuracy"]}");
        Assert.Equal(["accuracy", "log_loss", "macro_accuracy"], result.Metrics.Keys.Order());
    }

    [Theory]
    [InlineData(TrainerKind.LightGbm)]
    [InlineData(TrainerKind.Sdca)]
    public void Train_Regression_ExplainsMostVariance(TrainerKind trainer)
    {
        var result = TabularTrainer.Train(SyntheticData.Create(3000), Options("amount", TrainingTask.Regression, trainer));

        Assert.True(result.Metrics["r2"] > 0.8, $"r2 {result.Metrics["r2"]}");
        Assert.True(result.Metrics["rmse"] > 0);
        Assert.Equal(trainer == TrainerKind.Sdca ? "auto" : "100", result.Parameters["iterations"]);
    }

    [Fact]
    public void Train_CrossValidation_ReportsMeanAndSpreadPerMetric()
    {
        var options = Options("target", TrainingTask.Binary) with { CrossValidationFolds = 3 };
        var progress = new List<TrainingProgress>();
        var result = TabularTrainer.Train(SyntheticData.Create(1500), options, new SyncProgress(progress));

        Assert.NotNull(result.CrossValidation);
        var auc = result.CrossValidation["auc"];
        Assert.Equal(auc.Mean, result.Metrics["auc"]);
        Assert.True(auc.StandardDeviation is > 0 and < 0.1, $"sd {auc.StandardDeviation}");
        Assert.Equal("3", result.Parameters["cv_folds"]);
        Assert.Contains(progress, p => p.Phase == "fold 3/3");
    }

    [Theory]
    [InlineData(1, 0.2)]
    [InlineData(0, 1.0)]
    public void Train_InvalidValidationSettings_Throws(int folds, double fraction)
    {
        var options = Options("target", TrainingTask.Binary) with { CrossValidationFolds = folds, ValidationFraction = fraction };
        Assert.Throws<SlipwayException>(() => TabularTrainer.Train(SyntheticData.Create(100), options));
    }

    [Fact]
    public void Train_PositiveClassNotInLabel_Throws()
    {
        var options = Options("answer", TrainingTask.Binary) with { PositiveClass = "maybe" };
        var error = Assert.Throws<SlipwayException>(() => TabularTrainer.Train(SyntheticData.Create(100), options));
        Assert.Contains("'maybe'", error.Message);
    }

    [Fact]
    public void Train_BinaryLabelWithOneClass_Throws()
    {
        var frame = new DataFrame(
        [
            DataColumn.Numeric("x", ColumnDtype.Float64, [.. Enumerable.Range(0, 50).Select(i => (double)i)]),
            DataColumn.Numeric("y", ColumnDtype.Int64, new double[50]),
        ]);
        var error = Assert.Throws<SlipwayException>(() => TabularTrainer.Train(frame, new TrainingOptions { Label = "y", Task = TrainingTask.Binary }));
        Assert.Contains("single class", error.Message);
    }

    [Fact]
    public void Train_UnknownExcludedColumn_Throws()
    {
        var options = Options("target", TrainingTask.Binary) with { ExcludedColumns = [.. SyntheticData.LabelsExcept("target"), "nope"] };
        var error = Assert.Throws<SlipwayException>(() => TabularTrainer.Train(SyntheticData.Create(100), options));
        Assert.Contains("nope", error.Message);
    }

    [Fact]
    public void Train_MissingLabelColumn_NamesTheColumns()
    {
        var error = Assert.Throws<SlipwayException>(() => TabularTrainer.Train(SyntheticData.Create(100), Options("y", TrainingTask.Regression)));
        Assert.Contains("'y'", error.Message);
    }

    /// <summary><see cref="Progress{T}"/> posts to the thread pool; a test needs the reports in order, at once.</summary>
    private sealed class SyncProgress(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }
}
