using Slipway.Core.Errors;
using Slipway.Serving.Inference;
using Slipway.Serving.Models;
using Xunit.Abstractions;

namespace Slipway.Serving.Tests.Models;

/// <summary>Every model of the ONNX conformance kit, loaded from its bare <c>model.onnx</c> and run on the golden rows.</summary>
public sealed class OnnxModelGoldenTests(ITestOutputHelper output)
{
    private readonly OnnxModelLoader _loader = new();

    [Theory]
    [MemberData(nameof(GoldenModel.AllNames), MemberType = typeof(GoldenModel))]
    public async Task LoadAsync_BareModelFile_SignatureMatchesGolden(string name)
    {
        var golden = GoldenModel.Read(name);

        using var model = await _loader.LoadAsync(golden.ModelFile, CancellationToken.None);

        AssertSpecs(golden.Inputs, model.Signature.Inputs);
        AssertSpecs(golden.Outputs, model.Signature.Outputs);
        Assert.Equal("onnx_onnxv1", model.Platform);
        Assert.True(model.LoadTime > TimeSpan.Zero);
        Assert.True(model.MemoryBytes >= new FileInfo(golden.ModelFile).Length, $"memory {model.MemoryBytes} below the file size");
        output.WriteLine($"{name}: load + warm-up {model.LoadTime.TotalMilliseconds:F1} ms, memory estimate {model.MemoryBytes / 1024.0:F0} KiB");
    }

    [Theory]
    [MemberData(nameof(GoldenModel.AllNames), MemberType = typeof(GoldenModel))]
    public async Task RunAsync_AllGoldenRowsInOneBatch_MatchExpectedOutputs(string name)
    {
        var golden = GoldenModel.Read(name);
        using var model = await _loader.LoadAsync(golden.ModelFile, CancellationToken.None);

        var outputs = await model.RunAsync(golden.InputBatch(0, golden.Rows), null, CancellationToken.None);

        golden.AssertOutputs(outputs, 0, golden.Rows);
    }

    [Theory]
    [MemberData(nameof(GoldenModel.AllNames), MemberType = typeof(GoldenModel))]
    public async Task RunAsync_EachGoldenRowAlone_MatchesExpectedOutputs(string name)
    {
        var golden = GoldenModel.Read(name);
        using var model = await _loader.LoadAsync(golden.ModelFile, CancellationToken.None);

        for (var row = 0; row < golden.Rows; row++)
        {
            var outputs = await model.RunAsync(golden.InputBatch(row, 1), [], CancellationToken.None);
            golden.AssertOutputs(outputs, row, 1);
        }
    }

    [Theory]
    [InlineData("logreg_breast_cancer")]
    [InlineData("mixed_tabular")]
    public async Task RunAsync_EmptyBatch_ReturnsEmptyOutputs(string name)
    {
        var golden = GoldenModel.Read(name);
        using var model = await _loader.LoadAsync(golden.ModelFile, CancellationToken.None);

        var outputs = await model.RunAsync(golden.InputBatch(0, 0), null, CancellationToken.None);

        Assert.Equal(golden.Outputs.Count, outputs.Count);
        Assert.All(outputs, o => Assert.Equal(0, o.Shape[0]));
        Assert.All(outputs, o => Assert.Empty(o.Data));
    }

    [Fact]
    public async Task RunAsync_OneRequestedOutput_ComputesOnlyThatOutput()
    {
        var golden = GoldenModel.Read("logreg_breast_cancer");
        using var model = await _loader.LoadAsync(golden.ModelFile, CancellationToken.None);

        var outputs = await model.RunAsync(golden.InputBatch(0, 5), ["probabilities"], CancellationToken.None);

        golden.AssertOutputs(outputs, 0, 5, only: ["probabilities"]);
    }

    [Fact]
    public async Task RunAsync_OutputsRequestedOutOfOrderAndTwice_ComeBackOnceInSignatureOrder()
    {
        var golden = GoldenModel.Read("gbt_wine");
        using var model = await _loader.LoadAsync(golden.ModelFile, CancellationToken.None);

        var outputs = await model.RunAsync(golden.InputBatch(3, 4), ["probabilities", "label", "probabilities"], CancellationToken.None);

        golden.AssertOutputs(outputs, 3, 4, only: ["label", "probabilities"]);
    }

    [Fact]
    public async Task RunAsync_UnknownRequestedOutput_ThrowsInvalidParameter()
    {
        var golden = GoldenModel.Read("logreg_breast_cancer");
        using var model = await _loader.LoadAsync(golden.ModelFile, CancellationToken.None);

        var error = await Assert.ThrowsAsync<SlipwayException>(async () =>
            await model.RunAsync(golden.InputBatch(0, 1), ["scores"], CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("unknown output 'scores'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WrongFixedDimensionNotCaughtBeforehand_OnnxRuntimeErrorBecomesInvalidParameter()
    {
        using var model = await _loader.LoadAsync(GoldenModel.Read("logreg_breast_cancer").ModelFile, CancellationToken.None);
        Tensor[] inputs = [new("input", TensorDataType.Fp32, [2, 29], new float[58])];

        var error = await Assert.ThrowsAsync<SlipwayException>(async () => await model.RunAsync(inputs, null, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("Got invalid dimensions for input: input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CanceledToken_ThrowsWithoutRunning()
    {
        var golden = GoldenModel.Read("mlp_digits");
        using var model = await _loader.LoadAsync(golden.ModelFile, CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await model.RunAsync(golden.InputBatch(0, 1), null, new CancellationToken(canceled: true)));
    }

    private static void AssertSpecs(IReadOnlyList<TensorSpec> expected, IReadOnlyList<TensorSpec> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Name, actual[i].Name);
            Assert.Equal(expected[i].DataType, actual[i].DataType);
            Assert.Equal(expected[i].Shape, actual[i].Shape);
        }
    }
}
