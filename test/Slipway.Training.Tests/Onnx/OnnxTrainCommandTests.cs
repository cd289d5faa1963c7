using System.Net.Http.Json;
using System.Text.Json;
using Slipway.Client;
using Slipway.Training.Command;
using Slipway.Training.Tabular;
using Slipway.Training.Tests.Command;

namespace Slipway.Training.Tests.Onnx;

/// <summary><c>slipway train</c> logs a verified <c>onnx/</c> model that a real server serves like the ML.NET one.</summary>
public sealed class OnnxTrainCommandTests(TrainServerFixture fixture) : IClassFixture<TrainServerFixture>
{
    private static TrainCommandRequest Request(string label, TrainingTask task, TrainerKind trainer) => new()
    {
        Data = OnnxTestData.Create(900),
        Experiment = TrainServerFixture.Unique("onnx"),
        ReferenceSampleRows = 200,
        Training = new TrainingOptions
        {
            Label = label,
            Task = task,
            Trainer = trainer,
            Seed = 2,
            NumberOfIterations = 25,
            ExcludedColumns = SyntheticData.LabelsExcept(label),
        },
    };

    [Fact]
    public async Task RunAsync_Binary_LogsAVerifiedOnnxModelWithItsMetricsAndTag()
    {
        var outcome = await new TrainCommandCore(fixture.Client).RunAsync(Request("target", TrainingTask.Binary, TrainerKind.LightGbm));

        Assert.Equal($"runs:/{outcome.RunId}/onnx", outcome.OnnxUri);
        Assert.True(outcome.Onnx?.Verification?.Passed);
        var files = await fixture.Client.ListArtifactsAsync(outcome.RunId, "onnx");
        Assert.Equal(["onnx/MLmodel", "onnx/model.onnx"], files.Select(f => f.Path).Order(StringComparer.Ordinal));

        var run = await fixture.Client.GetRunAsync(outcome.RunId);
        Assert.Contains(new Tag(TrainCommandCore.OnnxStatusTag, "verified"), run.Data.Tags);
        Assert.DoesNotContain(run.Data.Tags, t => t.Key == TrainCommandCore.OnnxErrorTag);
        Assert.Contains(run.Data.Metrics, m => m.Key == "onnx_max_abs_diff" && m.Value < 1e-4);
        Assert.Contains(run.Data.Metrics, m => m.Key == "onnx_label_agreement" && m.Value == 1);
        Assert.Contains(run.Data.Metrics, m => m.Key == "onnx_verified_rows" && m.Value > 100);
    }

    [Fact]
    public async Task RunAsync_ExportOnnxOff_LogsNoOnnxModel()
    {
        var request = Request("amount", TrainingTask.Regression, TrainerKind.FastTree) with { ExportOnnx = false };
        var outcome = await new TrainCommandCore(fixture.Client).RunAsync(request);

        Assert.Null(outcome.OnnxUri);
        Assert.Null(outcome.Onnx);
        Assert.Empty(await fixture.Client.ListArtifactsAsync(outcome.RunId, "onnx"));
        var run = await fixture.Client.GetRunAsync(outcome.RunId);
        Assert.DoesNotContain(run.Data.Tags, t => t.Key == TrainCommandCore.OnnxStatusTag);
    }

    [Theory]
    [InlineData("target", TrainingTask.Binary, TrainerKind.FastTree)]
    [InlineData("band", TrainingTask.Multiclass, TrainerKind.LightGbm)]
    [InlineData("amount", TrainingTask.Regression, TrainerKind.Sdca)]
    public async Task RunAsync_OnnxServedFromAnEndpoint_AnswersOipLikeTheMlNetModel(string label, TrainingTask task, TrainerKind trainer)
    {
        var name = TrainServerFixture.Unique("drop-in");
        var request = Request(label, task, trainer) with { RegisterAs = name };
        var outcome = await new TrainCommandCore(fixture.Client).RunAsync(request);
        Assert.NotNull(outcome.OnnxUri);
        var onnxVersion = await fixture.Client.CreateModelVersionAsync(name, outcome.OnnxUri, outcome.RunId);

        var mlnetEndpoint = await ServeAsync($"models:/{name}/{outcome.Version!.Version}");
        var onnxEndpoint = await ServeAsync($"models:/{name}/{onnxVersion.Version}");
        var onnx = await InferAsync(onnxEndpoint, outputs: null);
        var mlnet = await InferAsync(mlnetEndpoint, [.. onnx.Keys]);

        var expectedOutputs = task switch
        {
            TrainingTask.Binary => new[] { "PredictedLabel", "Score", "Probability" },
            TrainingTask.Multiclass => ["PredictedLabel", "Score"],
            _ => ["Score"],
        };
        Assert.Equal(expectedOutputs, onnx.Keys);
        foreach (var (output, values) in onnx)
        {
            var reference = mlnet[output];
            Assert.Equal(reference.GetArrayLength(), values.GetArrayLength());
            foreach (var (actual, expected) in values.EnumerateArray().Zip(reference.EnumerateArray()))
            {
                if (expected.ValueKind == JsonValueKind.Number)
                    Assert.True(Math.Abs(actual.GetDouble() - expected.GetDouble()) <= 1e-4 * Math.Max(1, Math.Abs(expected.GetDouble())), $"{output}: {actual} vs {expected}");
                else
                    Assert.Equal(expected.ToString(), actual.ToString());
            }
        }
    }

    private async Task<string> ServeAsync(string modelUri)
    {
        var endpoint = TrainServerFixture.Unique("ep");
        await fixture.Client.CreateEndpointAsync(new EndpointSpec { Name = endpoint, Routes = [new EndpointRoute("main", modelUri)] });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await fixture.Client.GetEndpointAsync(endpoint)).Status.Ready)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Endpoint {endpoint} never became ready.");
            await Task.Delay(50);
        }
        return endpoint;
    }

    /// <summary>Three rows (typical, missing category, unseen category); outputs by name, in the order the server sent them.</summary>
    private async Task<Dictionary<string, JsonElement>> InferAsync(string endpoint, string[]? outputs)
    {
        using var http = fixture.Server.CreateClient();
        var inputs = Enumerable.Range(0, 5)
            .Select(i => (object)new { name = $"x{i}", shape = new[] { 3 }, datatype = "FP32", data = new[] { 1.0f - i, 0.5f, -2.0f } })
            .Append(new { name = "color", shape = new[] { 3 }, datatype = "BYTES", data = new[] { "green", "", "purple" } });
        object body = outputs is null ? new { inputs } : new { inputs, outputs = outputs.Select(name => new { name }) };
        using var response = await http.PostAsJsonAsync($"v2/models/{endpoint}/infer", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("outputs").EnumerateArray()
            .ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("data").Clone());
    }
}
