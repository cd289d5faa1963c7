using System.Globalization;
using System.Text;
using System.Text.Json;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Cli;

/// <summary>
/// <c>slipway train</c> against a real server: a small generated CSV whose label follows its features, trained,
/// logged and registered; then the usage and data errors, which must name the problem without a stack trace.
/// </summary>
public sealed class TrainCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly string _uri = fixture.BaseAddress.ToString();
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Train_BinaryWithRegisterAs_LogsRunAndRegistersVersion()
    {
        var data = WriteCsv(rows: 300);
        var experiment = Names.Unique("train-cli");
        var model = Names.Unique("train-cli-model");

        var result = await CliRunner.RunAsync(
            "train", "--data", data, "--label", "y", "--task", "binary", "--trainer", "lightgbm", "--exclude", "id",
            "--experiment", experiment, "--run-name", "first", "--register-as", model, "--iterations", "20", "--tracking-uri", _uri);

        Assert.True(result.ExitCode == 0, result.Error);
        var runId = result.Out.Split('\n')[0].Split(':', 2)[1].Trim();
        Assert.Contains($"Model URI: runs:/{runId}/model", result.Out, StringComparison.Ordinal);
        Assert.Contains("auc", result.Out, StringComparison.Ordinal);
        Assert.Contains($"Registered as version 1 of '{model}'", result.Out, StringComparison.Ordinal);
        Assert.Contains("train: 300 rows", result.Error, StringComparison.Ordinal);

        var run = await fixture.Client.GetRunAsync(runId);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Equal("first", run.Info.RunName);
        Assert.True(run.Data.Metrics.Single(m => m.Key == "auc").Value > 0.8, "the label is learnable from x1");
        Assert.Contains(run.Inputs.DatasetInputs, i => i.Tags.Any(t => t.Key == "mlflow.data.context" && t.Value == "reference"));
        var version = await fixture.Client.GetModelVersionAsync(model, "1");
        Assert.Equal(runId, version.RunId);
    }

    [Fact]
    public async Task Train_CrossValidationWithJson_PrintsFoldMeansAsJson()
    {
        var data = WriteCsv(rows: 200);

        var result = await CliRunner.RunAsync(
            "train", "--data", data, "--label", "y", "--task", "regression", "--trainer", "sdca", "--cv", "3", "--exclude", "id",
            "--experiment", Names.Unique("train-cli-cv"), "--json", "--tracking-uri", _uri);

        Assert.True(result.ExitCode == 0, result.Error);
        var json = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal(32, json.GetProperty("run_id").GetString()!.Length);
        Assert.True(json.GetProperty("cross_validation").GetProperty("rmse").GetProperty("sd").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("version").ValueKind);
    }

    [Fact]
    public async Task Train_NoOnnx_LogsTheModelWithoutAnOnnxCopy()
    {
        var data = WriteCsv(rows: 200);

        var result = await CliRunner.RunAsync(
            "train", "--data", data, "--label", "y", "--task", "binary", "--trainer", "lightgbm", "--exclude", "id", "--iterations", "10",
            "--experiment", Names.Unique("train-cli-no-onnx"), "--no-onnx", "--json", "--tracking-uri", _uri);

        Assert.True(result.ExitCode == 0, result.Error);
        var runId = JsonDocument.Parse(result.Out).RootElement.GetProperty("run_id").GetString()!;
        var run = await fixture.Client.GetRunAsync(runId);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.DoesNotContain(run.Data.Tags, t => t.Key == "slipway.onnx");
        Assert.Empty(await fixture.Client.ListArtifactsAsync(runId, "onnx"));
        Assert.NotEmpty(await fixture.Client.ListArtifactsAsync(runId, "model"));
    }

    [Theory]
    [InlineData(new[] { "--task", "binary" }, "--label")]
    [InlineData(new[] { "--label", "y", "--task", "ranking" }, "ranking")]
    [InlineData(new[] { "--label", "y", "--task", "binary", "--cv", "5", "--validation-fraction", "0.3" }, "--cv and --validation-fraction")]
    public async Task Train_BadOptions_ExitsWithUsageError(string[] options, string expected)
    {
        var data = WriteCsv(rows: 20);

        var result = await CliRunner.RunAsync(["train", "--data", data, .. options, "--tracking-uri", _uri]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Train_UnknownLabelColumn_FailsWithColumnListAndNoStackTrace()
    {
        var data = WriteCsv(rows: 20);

        var result = await CliRunner.RunAsync("train", "--data", data, "--label", "target", "--task", "binary", "--tracking-uri", _uri);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'target' not in", result.Error, StringComparison.Ordinal);
        Assert.Contains("columns: id, x1, x2, colour, y", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Rows where y is 1 exactly when x1 + noise is positive, so a model has something to learn.</summary>
    private string WriteCsv(int rows)
    {
        var random = new Random(7);
        var text = new StringBuilder("id,x1,x2,colour,y\n");
        for (var i = 0; i < rows; i++)
        {
            var x1 = random.NextDouble() * 2 - 1;
            var x2 = random.NextDouble();
            var colour = i % 3 == 0 ? "red" : "blue";
            var y = x1 + (random.NextDouble() - 0.5) * 0.2 > 0 ? 1 : 0;
            text.Append(CultureInfo.InvariantCulture, $"{i},{x1:F4},{x2:F4},{colour},{y}\n");
        }
        var path = _work.Combine($"train-{rows}.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
