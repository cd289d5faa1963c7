using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Training.Data;
using Slipway.Training.Evaluation;
using Slipway.Training.Packaging;
using Slipway.Training.Tabular;

namespace Slipway.Training.Tests.Evaluation;

public sealed class ModelEvaluatorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slipway-eval-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static TrainingOptions Options(string label, TrainingTask task, string? positiveClass = null) => new()
    {
        Label = label,
        Task = task,
        Trainer = TrainerKind.LightGbm,
        Seed = 3,
        NumberOfIterations = 30,
        PositiveClass = positiveClass,
        ExcludedColumns = SyntheticData.LabelsExcept(label),
    };

    /// <summary>Trains on one sample and writes the model directory as <c>slipway train</c> logs it.</summary>
    private (TrainingResult Result, string Directory) Train(TrainingOptions options)
    {
        var result = TabularTrainer.Train(SyntheticData.Create(1500, seed: 1), options);
        var directory = MlNetModelDirectory.Write(result, Path.Combine(_directory, Guid.NewGuid().ToString("N")), "run-123");
        return (result, directory);
    }

    [Theory]
    [InlineData("target", TrainingTask.Binary, null)]
    [InlineData("answer", TrainingTask.Binary, "yes")]
    [InlineData("amount", TrainingTask.Regression, null)]
    public void Evaluate_SavedModel_EqualsInMemoryModelOnSameHoldout(string label, TrainingTask task, string? positiveClass)
    {
        var options = Options(label, task, positiveClass);
        var (trained, directory) = Train(options);
        var holdout = SyntheticData.Create(500, seed: 2);

        var evaluation = ModelEvaluator.Evaluate(directory, holdout, new EvaluationOptions { Label = label, Task = task, PositiveClass = positiveClass });

        var expected = MetricsCalculator.Evaluate(trained.Context, task, trained.Model.Transform(FrameConverter.Convert(holdout, options).View));
        Assert.Equal(expected.Keys.Order(), evaluation.Metrics.Keys.Order());
        foreach (var (name, value) in expected)
            Assert.Equal(value, evaluation.Metrics[name], 9);
        Assert.Equal((500, 0), (evaluation.Rows, evaluation.UnseenClassRows));
        Assert.Equal(EvaluationMetrics.For(task).Order(), evaluation.Metrics.Keys.Order());
    }

    [Fact]
    public void Evaluate_Multiclass_MapsLabelsToTheModelsClassesAndCountsUnseenOnes()
    {
        var (_, directory) = Train(Options("band", TrainingTask.Multiclass));
        var holdout = SyntheticData.Create(400, seed: 5);
        var bands = holdout.Find("band")!.Strings!;
        for (var i = 0; i < 40; i++)
            bands[i] = "extreme";

        var evaluation = ModelEvaluator.Evaluate(directory, holdout, new EvaluationOptions { Label = "band", Task = TrainingTask.Multiclass });

        Assert.Equal(40, evaluation.UnseenClassRows);
        Assert.Equal(["accuracy", "log_loss", "macro_accuracy"], evaluation.Metrics.Keys.Order());
        // Three ordered bands from a noisy linear score: a model that learned the mapping is far above 1/3.
        Assert.InRange(evaluation.Metrics["accuracy"], 0.6, 1.0);
    }

    [Fact]
    public void Evaluate_MultiClassLabelOrderDiffersFromTraining_SameAccuracyAsReordered()
    {
        var (_, directory) = Train(Options("band", TrainingTask.Multiclass));
        var holdout = SyntheticData.Create(300, seed: 6);
        var reversed = new DataFrame(holdout.Columns.Select(c => c.IsNumeric
            ? DataColumn.Numeric(c.Name, c.Dtype, c.Numbers!.Reverse().ToArray())
            : DataColumn.Text(c.Name, c.Strings!.Reverse().ToArray())).ToList());
        var options = new EvaluationOptions { Label = "band", Task = TrainingTask.Multiclass };

        var forward = ModelEvaluator.Evaluate(directory, holdout, options);
        var backward = ModelEvaluator.Evaluate(directory, reversed, options);

        // The first label seen differs, so a map fitted on the holdout itself would number the classes differently.
        Assert.Equal(forward.Metrics["accuracy"], backward.Metrics["accuracy"], 9);
    }

    [Fact]
    public void Evaluate_HoldoutLacksInputsOrLabel_InvalidParameterNamesColumns()
    {
        var (_, directory) = Train(Options("target", TrainingTask.Binary));
        var holdout = SyntheticData.Create(50, seed: 2);
        var narrow = new DataFrame(holdout.Columns.Where(c => c.Name is "x0" or "target").ToList());

        var missingInputs = Assert.Throws<SlipwayException>(() => ModelEvaluator.Evaluate(directory, narrow, new EvaluationOptions { Label = "target", Task = TrainingTask.Binary }));
        var missingLabel = Assert.Throws<SlipwayException>(() => ModelEvaluator.Evaluate(directory, holdout, new EvaluationOptions { Label = "churn", Task = TrainingTask.Binary }));

        Assert.Equal("The holdout lacks model input column(s) x1, x2, x3, x4, color.", missingInputs.Message);
        Assert.StartsWith("The holdout has no label column 'churn'", missingLabel.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WrongTask_InvalidParameterInsteadOfNonsense()
    {
        var (_, binary) = Train(Options("target", TrainingTask.Binary));
        var (_, regression) = Train(Options("amount", TrainingTask.Regression));
        var holdout = SyntheticData.Create(50, seed: 2);

        var asRegression = Assert.Throws<SlipwayException>(() => ModelEvaluator.Evaluate(binary, holdout, new EvaluationOptions { Label = "amount", Task = TrainingTask.Regression }));
        var asBinary = Assert.Throws<SlipwayException>(() => ModelEvaluator.Evaluate(regression, holdout, new EvaluationOptions { Label = "target", Task = TrainingTask.Binary }));
        var asMulticlass = Assert.Throws<SlipwayException>(() => ModelEvaluator.Evaluate(binary, holdout, new EvaluationOptions { Label = "band", Task = TrainingTask.Multiclass }));

        Assert.Contains("not a regression model", asRegression.Message, StringComparison.Ordinal);
        Assert.Contains("not a binary classifier", asBinary.Message, StringComparison.Ordinal);
        Assert.Contains("not a multiclass classifier", asMulticlass.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_FolderWithoutModel_InvalidParameter()
    {
        var error = Assert.Throws<SlipwayException>(() => ModelEvaluator.Evaluate(_directory, SyntheticData.Create(20), new EvaluationOptions { Label = "target", Task = TrainingTask.Binary }));

        Assert.Contains("no ML.NET file 'model.zip'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelDirectoryInfo_ReadsRunIdAndModelFileFromMlmodel()
    {
        var (_, directory) = Train(Options("target", TrainingTask.Binary));

        var info = ModelDirectoryInfo.Read(directory);

        Assert.Equal("run-123", info.RunId);
        Assert.Equal(Path.Combine(directory, "model.zip"), info.ModelFile);
    }
}
