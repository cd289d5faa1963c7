using System.Globalization;
using Slipway.Client;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors.BuiltIn;

namespace Slipway.Pipelines.Tests.BuiltIn;

public sealed class TrainStepExecutorTests(BuiltInServerFixture fixture) : IClassFixture<BuiltInServerFixture>
{
    [Fact]
    public async Task ExecuteAsync_WithChildRun_TrainsIntoThatRunAndLeavesItOpen()
    {
        var childRun = await fixture.CreateStepRunAsync();
        var log = new InMemoryStepLog();
        var with = With.Of(("data", "train.csv"), ("label", "target"), ("task", "binary"), ("exclude", "amount"),
            ("iterations", "20"), ("seed", "7"), ("validation_fraction", "0.25"));

        var result = await new TrainStepExecutor(fixture.Client).ExecuteAsync(fixture.Invocation("train", with, childRun, log), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(childRun, result.Outputs["run_id"]);
        Assert.Equal($"runs:/{childRun}/model", result.Outputs["model_uri"]);
        Assert.Equal("auc", result.Outputs["metric"]);
        Assert.InRange(double.Parse(result.Outputs["value"], CultureInfo.InvariantCulture), 0.8, 1.0);
        Assert.Equal(("", ""), (result.Outputs["model_name"], result.Outputs["version"]));
        var run = await fixture.Client.GetRunAsync(childRun);
        // LightGBM trees export to ONNX; the export is logged only once ONNX Runtime reproduced the predictions.
        Assert.Contains(run.Data.Tags, t => t is { Key: "slipway.onnx", Value: "verified" });
        Assert.Equal($"runs:/{childRun}/onnx", result.Outputs["onnx_uri"]);
        Assert.Equal(RunStatus.Running, run.Info.Status);
        Assert.Contains(run.Data.Params, p => p is { Key: "trainer", Value: "lightgbm" });
        Assert.Contains(run.Data.Params, p => p is { Key: "seed", Value: "7" });
        Assert.Contains(run.Data.Metrics, m => m.Key == "auc");
        var files = await fixture.Client.ListArtifactsAsync(childRun, "model");
        Assert.Contains(files, f => f.Path == "model/model.zip");
        Assert.Contains("training lightgbm (binary, label 'target') on 2000 rows", log.Text(StepLogStream.Stdout), StringComparison.Ordinal);
        Assert.Contains("done (100%)", log.Text(StepLogStream.Stdout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_RegisterAs_OutputsVersion()
    {
        var name = BuiltInServerFixture.Unique("trained");

        var result = await fixture.TrainAsync(("register_as", name), ("task", "regression"), ("label", "amount"), ("exclude", "target"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal((name, "1"), (result.Outputs["model_name"], result.Outputs["version"]));
        Assert.Equal("rmse", result.Outputs["metric"]);
        var version = await fixture.Client.GetModelVersionAsync(name, "1");
        Assert.Equal(result.Outputs["run_id"], version.RunId);
    }

    [Fact]
    public async Task ExecuteAsync_Cancelled_ThrowsInsteadOfReportingFailure()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var with = With.Of(("data", "train.csv"), ("label", "target"), ("task", "binary"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new TrainStepExecutor(fixture.Client).ExecuteAsync(fixture.Invocation("train", with), cancelled.Token));
    }

    [Fact]
    public async Task ExecuteAsync_OnnxOff_NoOnnxCopy()
    {
        var result = await fixture.TrainAsync(("onnx", "false"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("", result.Outputs["onnx_uri"]);
        var files = await fixture.Client.ListArtifactsAsync(result.Outputs["run_id"]);
        Assert.DoesNotContain(files, f => f.Path == "onnx");
    }

    [Theory]
    [InlineData("onnx", "maybe", "with: onnx = 'maybe' is not true or false")]
    [InlineData("task", "cluster", "with: task = 'cluster' is not one of binary, multiclass, regression")]
    [InlineData("trainer", "xgboost", "with: trainer = 'xgboost' is not one of lightgbm, fasttree, sdca, auto")]
    [InlineData("validation_fraction", "1.5", "with: validation_fraction = '1.5' must be between 0 and 1")]
    [InlineData("cv", "1", "with: cv = '1' must be 0 (a validation split) or at least 2 folds")]
    [InlineData("seed", "abc", "with: seed = 'abc' is not a whole number")]
    [InlineData("label", "", "step 'train-step' needs 'with: label'")]
    public async Task ExecuteAsync_BadWith_FailsNamingKeyAndValue(string key, string value, string expected)
    {
        var result = await fixture.TrainAsync((key, value));

        Assert.False(result.Succeeded);
        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public async Task ExecuteAsync_MissingDataOrLabelColumn_FailsWithReason()
    {
        var missingFile = await fixture.TrainAsync(("data", "nowhere.csv"));
        var missingLabel = await fixture.TrainAsync(("label", "churned"));
        var unknownRun = await fixture.TrainAsync(("data", "runs:/0123456789abcdef/data.csv"));

        Assert.Equal("nowhere.csv: the file does not exist.", missingFile.Error);
        Assert.StartsWith("The data has no label column 'churned'", missingLabel.Error, StringComparison.Ordinal);
        Assert.StartsWith("the server refused:", unknownRun.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_DataFromRunArtifact_DownloadsThroughSdk()
    {
        var holder = await fixture.CreateStepRunAsync();
        await fixture.Client.UploadArtifactAsync(holder, fixture.TrainFile, "data");

        var result = await fixture.TrainAsync(("data", $"runs:/{holder}/data/train.csv"));

        Assert.True(result.Succeeded, result.Error);
        var run = await fixture.Client.GetRunAsync(result.Outputs["run_id"]);
        Assert.Contains(run.Data.Params, p => p is { Key: "rows", Value: "2000" });
    }
}
