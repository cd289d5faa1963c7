using System.Globalization;
using Slipway.Pipelines.Execution;
using Slipway.Pipelines.Executors.BuiltIn;

namespace Slipway.Pipelines.Tests.BuiltIn;

public sealed class EvaluateStepExecutorTests(BuiltInServerFixture fixture) : IClassFixture<BuiltInServerFixture>
{
    private Task<StepResult> EvaluateAsync(Dictionary<string, string> with, string? childRun = null, InMemoryStepLog? log = null) =>
        new EvaluateStepExecutor(fixture.Client).ExecuteAsync(fixture.Invocation("evaluate", with, childRun, log), CancellationToken.None);

    [Fact]
    public async Task ExecuteAsync_RunsModelTaskAndLabelFromSourceRun_LogsAllMetricsToChildRun()
    {
        var model = await fixture.StrongModelAsync();
        var childRun = await fixture.CreateStepRunAsync();

        var result = await EvaluateAsync(With.Of(("model", model), ("data", "holdout.csv")), childRun);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal((childRun, "auc"), (result.Outputs["run_id"], result.Outputs["metric"]));
        var auc = double.Parse(result.Outputs["value"], CultureInfo.InvariantCulture);
        Assert.InRange(auc, 0.85, 1.0);
        var run = await fixture.Client.GetRunAsync(childRun);
        Assert.Equal(auc, run.Data.Metrics.Single(m => m.Key == "auc").Value);
        Assert.Equal(["accuracy", "auc", "f1", "log_loss", "precision", "recall"], run.Data.Metrics.Select(m => m.Key).Order().ToArray());
        Assert.Contains(run.Data.Params, p => p is { Key: "rows", Value: "600" });
        Assert.Contains(run.Data.Params, p => p is { Key: "label", Value: "target" });
    }

    [Fact]
    public async Task ExecuteAsync_RegisteredVersionByAlias_ScoresSameAsRunUri()
    {
        var model = await fixture.StrongModelAsync();
        var name = BuiltInServerFixture.Unique("evaluated");
        await fixture.Client.CreateRegisteredModelAsync(name);
        var version = await fixture.Client.CreateModelVersionAsync(name, model, model.Split('/')[1]);
        await fixture.Client.SetModelAliasAsync(name, "candidate", version.Version);

        var byRun = await EvaluateAsync(With.Of(("model", model), ("data", "holdout.csv"), ("metric", "accuracy")));
        var byAlias = await EvaluateAsync(With.Of(("model", $"models:/{name}@candidate"), ("data", fixture.HoldoutFile), ("metric", "ACCURACY")));
        var byNumber = await EvaluateAsync(With.Of(("model", $"models:/{name}/1"), ("data", "holdout.csv"), ("metric", "accuracy"), ("task", "binary"), ("label", "target")));

        Assert.True(byAlias.Succeeded, byAlias.Error);
        Assert.Equal("accuracy", byAlias.Outputs["metric"]);
        Assert.Equal(byRun.Outputs["value"], byAlias.Outputs["value"]);
        Assert.Equal(byRun.Outputs["value"], byNumber.Outputs["value"]);
        Assert.Equal("", byRun.Outputs["run_id"]);
    }

    [Fact]
    public async Task ExecuteAsync_HoldoutAsMlflowArtifactsUri_SameValueAsLocalFile()
    {
        var model = await fixture.StrongModelAsync();
        var holder = await fixture.CreateStepRunAsync();
        await fixture.Client.UploadArtifactAsync(holder, fixture.HoldoutFile, "data");
        var artifactRoot = (await fixture.Client.GetRunAsync(holder)).Info.ArtifactUri;
        Assert.StartsWith("mlflow-artifacts:", artifactRoot, StringComparison.Ordinal);

        var remote = await EvaluateAsync(With.Of(("model", model), ("data", $"{artifactRoot}/data/holdout.csv")));
        var local = await EvaluateAsync(With.Of(("model", model), ("data", "holdout.csv")));

        Assert.True(remote.Succeeded, remote.Error);
        Assert.Equal(local.Outputs["value"], remote.Outputs["value"]);
    }

    [Fact]
    public async Task ExecuteAsync_RegressionModel_DefaultsToRmse()
    {
        var trained = await fixture.TrainAsync(("task", "regression"), ("label", "amount"), ("exclude", "target"));

        var result = await EvaluateAsync(With.Of(("model", trained.Outputs["model_uri"]), ("data", "holdout.csv")));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("rmse", result.Outputs["metric"]);
        // amount = 3·score + 10 + noise(0.3): a useful model's error is a fraction of the label's spread (~8).
        Assert.InRange(double.Parse(result.Outputs["value"], CultureInfo.InvariantCulture), 0, 3);
    }

    [Fact]
    public async Task ExecuteAsync_MetricOfAnotherTask_FailsListingTheTasksMetrics()
    {
        var model = await fixture.StrongModelAsync();

        var result = await EvaluateAsync(With.Of(("model", model), ("data", "holdout.csv"), ("metric", "rmse")));

        Assert.False(result.Succeeded);
        Assert.Equal("with: metric = 'rmse' is not a binary metric; use one of auc, accuracy, f1, log_loss, precision, recall", result.Error);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownModelOrMissingColumns_Fails()
    {
        var model = await fixture.StrongModelAsync();
        var narrow = Path.Combine(fixture.DataDirectory, "narrow.csv");
        await File.WriteAllLinesAsync(narrow, ["x0,target", "0.5,1", "-0.5,0"]);

        var unknown = await EvaluateAsync(With.Of(("model", "models:/no-such-model/1"), ("data", "holdout.csv")));
        var missingInputs = await EvaluateAsync(With.Of(("model", model), ("data", narrow)));
        var missingModel = await EvaluateAsync(With.Of(("data", "holdout.csv")));

        Assert.StartsWith("the server refused:", unknown.Error, StringComparison.Ordinal);
        Assert.Equal("The holdout lacks model input column(s) x1, x2, x3, x4, color.", missingInputs.Error);
        Assert.Equal("step 'evaluate-step' needs 'with: model'", missingModel.Error);
    }
}
