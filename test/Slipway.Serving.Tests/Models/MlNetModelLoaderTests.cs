using Slipway.Core.Errors;
using Slipway.Serving.Inference;
using Slipway.Serving.Models;
using Slipway.Serving.Models.MlNet;

namespace Slipway.Serving.Tests.Models;

/// <summary>ML.NET models through <see cref="CompositeModelLoader"/>: signatures, results against ML.NET's own PredictionEngine, errors.</summary>
public sealed class MlNetModelLoaderTests(MlNetTestModels models) : IClassFixture<MlNetTestModels>
{
    private readonly CompositeModelLoader _loader = new(new OnnxModelLoader(), new MlNetModelLoader());

    [Fact]
    public async Task LoadAsync_BinaryClassifierZip_SignatureHasFeatureColumnsAndPredictionOutputs()
    {
        using var model = await _loader.LoadAsync(models.BinaryZip, CancellationToken.None);

        Assert.Equal("mlnet", model.Platform);
        Assert.Equal(["a:FP32:-1", "b:FP32:-1"], Describe(model.Signature.Inputs));
        Assert.Equal(["Features:FP32:-1,2", "PredictedLabel:BOOL:-1", "Score:FP32:-1", "Probability:FP32:-1"], Describe(model.Signature.Outputs));
        Assert.True(model.LoadTime > TimeSpan.Zero);
        Assert.True(model.MemoryBytes >= new FileInfo(models.BinaryZip).Length);
    }

    [Fact]
    public async Task RunAsync_BinaryClassifier_MatchesPredictionEngine()
    {
        using var model = await _loader.LoadAsync(models.BinaryZip, CancellationToken.None);
        var random = new Random(7);
        var rows = Enumerable.Range(0, 10).Select(_ => MlNetTestModels.NextBinaryRow(random)).ToArray();
        var inputs = new[]
        {
            new Tensor("a", TensorDataType.Fp32, [10], rows.Select(r => r.A).ToArray()),
            new Tensor("b", TensorDataType.Fp32, [10], rows.Select(r => r.B).ToArray()),
        };

        var outputs = await model.RunAsync(inputs, ["Score", "PredictedLabel", "Probability"], CancellationToken.None);

        var engine = models.Context.Model.CreatePredictionEngine<MlNetTestModels.BinaryRow, MlNetTestModels.BinaryPrediction>(models.Binary);
        var expected = rows.Select(engine.Predict).ToArray();
        var names = outputs.Select(o => o.Name).ToArray();
        // Outputs come back in signature order, not request order.
        Assert.Equal(["PredictedLabel", "Score", "Probability"], names);
        Assert.All(outputs, o => Assert.Equal([10L], o.Shape));
        Assert.Equal(expected.Select(p => p.PredictedLabel), (bool[])outputs[0].Data);
        Assert.Equal(expected.Select(p => p.Score), (float[])outputs[1].Data);
        Assert.Equal(expected.Select(p => p.Probability), (float[])outputs[2].Data);
        Assert.Contains(true, (bool[])outputs[0].Data);
        Assert.Contains(false, (bool[])outputs[0].Data);
    }

    [Fact]
    public async Task LoadAsync_MlmodelDirectoryWithMlnetFlavor_LoadsVectorInputRegression()
    {
        using var dir = new TempDirectory();
        dir.File("model.zip", File.ReadAllBytes(models.RegressionZip));
        dir.File("MLmodel", "flavors:\n  mlnet:\n    data: model.zip\n");

        using var model = await _loader.LoadAsync(dir.Path, CancellationToken.None);

        Assert.Equal(["Features:FP32:-1,4"], Describe(model.Signature.Inputs));
        Assert.Equal(["Score:FP32:-1"], Describe(model.Signature.Outputs));
        var random = new Random(9);
        var rows = Enumerable.Range(0, 10).Select(_ => MlNetTestModels.NextRegressionRow(random)).ToArray();
        var outputs = await model.RunAsync(
            [new Tensor("Features", TensorDataType.Fp32, [10, 4], rows.SelectMany(r => r.Features).ToArray())], null, CancellationToken.None);

        var engine = models.Context.Model.CreatePredictionEngine<MlNetTestModels.RegressionRow, MlNetTestModels.RegressionPrediction>(models.Regression);
        var expected = rows.Select(r => engine.Predict(r).Score).ToArray();
        var actual = Assert.IsType<float[]>(outputs.Single().Data);
        Assert.Equal([10L], outputs[0].Shape);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], 1e-6f);
    }

    [Fact]
    public async Task LoadAsync_DirectoryWithSingleZip_LoadsIt()
    {
        using var dir = new TempDirectory();
        dir.File("anything.zip", File.ReadAllBytes(models.BinaryZip));

        using var model = await _loader.LoadAsync(dir.Path, CancellationToken.None);

        Assert.Equal("mlnet", model.Platform);
    }

    [Fact]
    public async Task RunAsync_EightThreadsConcurrently_EveryResultMatchesTheSequentialOne()
    {
        using var model = await _loader.LoadAsync(models.BinaryZip, CancellationToken.None);
        var inputs = new[]
        {
            new Tensor("a", TensorDataType.Fp32, [10], Enumerable.Range(0, 10).Select(i => i / 5f - 1).ToArray()),
            new Tensor("b", TensorDataType.Fp32, [10], Enumerable.Range(0, 10).Select(i => 1 - i / 4f).ToArray()),
        };
        var expected = (float[])(await model.RunAsync(inputs, ["Probability"], CancellationToken.None))[0].Data;

        var threads = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var run = 0; run < 100; run++)
            {
                var outputs = await model.RunAsync(inputs, ["Probability"], CancellationToken.None);
                Assert.Equal(expected, (float[])outputs[0].Data);
            }
        }));

        await Task.WhenAll(threads);
    }

    [Fact]
    public async Task LoadAsync_CorruptZip_ThrowsInvalidParameter()
    {
        using var dir = new TempDirectory();
        var bytes = File.ReadAllBytes(models.BinaryZip);
        new Random(3).NextBytes(bytes.AsSpan(bytes.Length / 4, bytes.Length / 2));
        var path = dir.File("model.zip", bytes);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("'model.zip' is not a loadable ML.NET model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_UnknownExtension_ThrowsNeitherOnnxNorMlNet()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.pkl", [1, 2, 3]);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("is neither an ONNX model (.onnx) nor an ML.NET model (.zip)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MlmodelWithoutOnnxOrMlnetFlavor_ThrowsListingFlavors()
    {
        using var dir = new TempDirectory();
        dir.File("MLmodel", "flavors:\n  python_function:\n    loader_module: x\n  sklearn:\n    pickled_model: model.pkl\n");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(dir.Path, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("neither an ONNX model nor an ML.NET model", error.Message, StringComparison.Ordinal);
        Assert.Contains("python_function, sklearn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownOutput_ThrowsInvalidParameter()
    {
        using var model = await _loader.LoadAsync(models.BinaryZip, CancellationToken.None);
        var inputs = new[] { new Tensor("a", TensorDataType.Fp32, [1], new float[1]), new Tensor("b", TensorDataType.Fp32, [1], new float[1]) };

        var error = await Assert.ThrowsAsync<SlipwayException>(async () => await model.RunAsync(inputs, ["Nope"], CancellationToken.None));

        Assert.Contains("unknown output 'Nope'", error.Message, StringComparison.Ordinal);
    }

    private static string[] Describe(IEnumerable<TensorSpec> specs) =>
        [.. specs.Select(s => $"{s.Name}:{s.DataType.WireName()}:{string.Join(",", s.Shape)}")];
}
