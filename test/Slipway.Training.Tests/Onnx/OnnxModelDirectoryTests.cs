using System.Text;
using Slipway.Serving.Inference;
using Slipway.Serving.Models;
using Slipway.Serving.Models.MlNet;
using Slipway.Training.Onnx;
using Slipway.Training.Packaging;
using Slipway.Training.Tabular;

namespace Slipway.Training.Tests.Onnx;

/// <summary>The written <c>onnx/</c> directory must load in the server's ONNX loader as a drop-in for the ML.NET model.</summary>
public sealed class OnnxModelDirectoryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "slipway-onnx-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("target", TrainingTask.Binary, TrainerKind.LightGbm)]
    [InlineData("band", TrainingTask.Multiclass, TrainerKind.FastTree)]
    [InlineData("amount", TrainingTask.Regression, TrainerKind.Sdca)]
    public async Task Write_LoadedByServerLoaders_OnnxGivesTheMlNetModelsOutputs(string label, TrainingTask task, TrainerKind trainer)
    {
        var result = TabularTrainer.Train(OnnxTestData.Create(900), new TrainingOptions
        {
            Label = label,
            Task = task,
            Trainer = trainer,
            Seed = 4,
            NumberOfIterations = trainer == TrainerKind.Sdca ? null : 20,
            ExcludedColumns = SyntheticData.LabelsExcept(label),
        });
        var onnxDirectory = OnnxModelDirectory.Write(OnnxExporter.Export(result), Path.Combine(_root, "onnx"), runId: "r1");
        var mlnetDirectory = MlNetModelDirectory.Write(result, Path.Combine(_root, "model"));

        var loader = new CompositeModelLoader(new OnnxModelLoader(), new MlNetModelLoader());
        using var onnx = await loader.LoadAsync(onnxDirectory, CancellationToken.None);
        using var mlnet = await loader.LoadAsync(mlnetDirectory, CancellationToken.None);

        Assert.Equal("onnx_onnxv1", onnx.Platform);
        Assert.Equal(mlnet.Signature.Inputs.Select(Describe), onnx.Signature.Inputs.Select(Describe));
        var mlnetOutputs = mlnet.Signature.Outputs.Select(Describe).ToHashSet();
        Assert.All(onnx.Signature.Outputs, o => Assert.Contains(Describe(o), mlnetOutputs));

        var inputs = Inputs();
        var names = onnx.Signature.Outputs.Select(o => o.Name).ToArray();
        var fromOnnx = await onnx.RunAsync(inputs, names, CancellationToken.None);
        var fromMlNet = await mlnet.RunAsync(inputs, names, CancellationToken.None);
        for (var k = 0; k < names.Length; k++)
        {
            switch (fromMlNet[k].Data)
            {
                case float[] expected:
                    var actual = (float[])fromOnnx[k].Data;
                    Assert.Equal(expected.Length, actual.Length);
                    for (var i = 0; i < expected.Length; i++)
                        Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"{names[k]}[{i}]: {actual[i]} vs {expected[i]}");
                    break;
                case byte[][] expected:
                    Assert.Equal(expected.Select(Encoding.UTF8.GetString), ((byte[][])fromOnnx[k].Data).Select(Encoding.UTF8.GetString));
                    break;
                default:
                    Assert.Equal(fromMlNet[k].Data, fromOnnx[k].Data);
                    break;
            }
        }
    }

    [Fact]
    public void Write_Mlmodel_HasOnnxFlavorAndTensorSignature()
    {
        var export = new OnnxExport([1, 2, 3], [new OnnxTensorInfo("it's", "float32", [-1])], [new OnnxTensorInfo("Score", "float32", [-1, 3])]);
        var directory = OnnxModelDirectory.Write(export, Path.Combine(_root, "onnx"), runId: "run-1");

        var mlmodel = File.ReadAllText(Path.Combine(directory, "MLmodel"));
        Assert.Contains("  onnx:\n    data: model.onnx\n", mlmodel);
        Assert.Contains("run_id: run-1\n", mlmodel);
        Assert.Contains("artifact_path: onnx\n", mlmodel);
        Assert.Contains("""  inputs: '[{"name":"it\u0027s","type":"tensor","tensor-spec":{"dtype":"float32","shape":[-1]}}]'""", mlmodel);
        Assert.Contains("""  outputs: '[{"name":"Score","type":"tensor","tensor-spec":{"dtype":"float32","shape":[-1,3]}}]'""", mlmodel);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(directory, "model.onnx")));
    }

    /// <summary>Four rows: typical values, a missing number and category, an unseen category, extremes.</summary>
    private static List<Tensor> Inputs()
    {
        var inputs = new List<Tensor>();
        for (var c = 0; c < 5; c++)
            inputs.Add(new Tensor($"x{c}", TensorDataType.Fp32, [4], new[] { 0.5f * c, float.NaN, -1.5f, 40f }));
        inputs.Add(new Tensor("color", TensorDataType.Bytes, [4], new[] { "red", "", "purple", "blue" }.Select(Encoding.UTF8.GetBytes).ToArray()));
        return inputs;
    }

    private static string Describe(TensorSpec spec) => $"{spec.Name}:{spec.DataType}:{string.Join(",", spec.Shape)}";

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }
}
