using System.Text;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;
using Slipway.Serving.Models;

namespace Slipway.Serving.Tests.Models;

/// <summary>Loading failures, every datatype through the runtime, and the process-wide ORT environment.</summary>
public sealed class OnnxModelLoaderTests
{
    private readonly OnnxModelLoader _loader = new();

    [Fact]
    public async Task LoadAsync_RandomBytes_ThrowsInvalidParameterWithOnnxRuntimeMessage()
    {
        using var dir = new TempDirectory();
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);
        var path = dir.File("broken.onnx", bytes);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("'broken.onnx' is not a loadable ONNX model", error.Message, StringComparison.Ordinal);
        Assert.Contains("[ErrorCode:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_EmptyFile_ThrowsInvalidParameter()
    {
        using var dir = new TempDirectory();
        var path = dir.File("empty.onnx", []);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
    }

    [Fact]
    public async Task LoadAsync_ZipMapOutput_IsRefusedWithAHint()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.onnx", OnnxTestModels.ZipMap());

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("output 'probabilities' is a sequence, not a tensor", error.Message, StringComparison.Ordinal);
        Assert.Contains("zipmap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_InputTypeOnnxRuntimeCannotHold_ThrowsInvalidParameterNotOnnxRuntimeException()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.onnx", OnnxTestModels.IdentityWithUnusedInput(OnnxTestModels.Complex64));

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("tensor(complex64) is not currently registered or supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ModelFailingItsWarmUp_ThrowsInvalidParameterWithTheReason()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.onnx", OnnxTestModels.ReshapeToPairs());

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("failed its warm-up run", error.Message, StringComparison.Ordinal);
        Assert.Contains("Reshape", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_CanceledToken_DoesNotLoad()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _loader.LoadAsync(GoldenModel.Read("mlp_digits").ModelFile, new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task LoadAsync_Sessions_RunOnTheGlobalThreadPool()
    {
        using var model = await _loader.LoadAsync(GoldenModel.Read("linreg_diabetes").ModelFile, CancellationToken.None);

        Assert.True(OnnxRuntimeEnvironment.UsesGlobalThreadPool);
        Assert.Equal(1, OnnxRuntimeEnvironment.IntraOpThreads);
    }

    public static TheoryData<int, TensorDataType, Array> EveryDatatype => new()
    {
        { OnnxTestModels.Float, TensorDataType.Fp32, new[] { 1.5f, -2f, float.MaxValue, 0f } },
        { OnnxTestModels.Double, TensorDataType.Fp64, new[] { 1.5, -2.25, double.Epsilon, 1e300 } },
        { OnnxTestModels.Float16, TensorDataType.Fp16, new[] { (Half)1.5, (Half)(-2), Half.MaxValue, (Half)0.25 } },
        { OnnxTestModels.BFloat16, TensorDataType.Bf16, new ushort[] { 0x3FC0, 0xC000, 0x7F7F, 0x0001 } },
        { OnnxTestModels.Int8, TensorDataType.Int8, new sbyte[] { 1, -2, sbyte.MaxValue, sbyte.MinValue } },
        { OnnxTestModels.Int16, TensorDataType.Int16, new short[] { 1, -2, short.MaxValue, short.MinValue } },
        { OnnxTestModels.Int32, TensorDataType.Int32, new[] { 1, -2, int.MaxValue, int.MinValue } },
        { OnnxTestModels.Int64, TensorDataType.Int64, new[] { 1L, -2L, long.MaxValue, long.MinValue } },
        { OnnxTestModels.UInt8, TensorDataType.UInt8, new byte[] { 1, 2, byte.MaxValue, 0 } },
        { OnnxTestModels.UInt16, TensorDataType.UInt16, new ushort[] { 1, 2, ushort.MaxValue, 0 } },
        { OnnxTestModels.UInt32, TensorDataType.UInt32, new uint[] { 1, 2, uint.MaxValue, 0 } },
        { OnnxTestModels.UInt64, TensorDataType.UInt64, new ulong[] { 1, 2, ulong.MaxValue, 0 } },
        { OnnxTestModels.Bool, TensorDataType.Bool, new[] { true, false, false, true } },
        { OnnxTestModels.String, TensorDataType.Bytes, new[] { "kraków", "", "são paulo", "zürich" }.Select(Encoding.UTF8.GetBytes).ToArray() },
    };

    [Theory]
    [MemberData(nameof(EveryDatatype))]
    public async Task RunAsync_IdentityModel_RoundTripsEveryDatatype(int onnxType, TensorDataType dataType, Array data)
    {
        using var dir = new TempDirectory();
        using var model = await _loader.LoadAsync(dir.File("model.onnx", OnnxTestModels.Identity(onnxType)), CancellationToken.None);
        Assert.Equal(dataType, model.Signature.Inputs[0].DataType);
        Assert.Equal(new long[] { -1, 2 }, model.Signature.Inputs[0].Shape);

        var outputs = await model.RunAsync([new Tensor("x", dataType, [2, 2], data)], null, CancellationToken.None);

        var y = Assert.Single(outputs);
        Assert.Equal("y", y.Name);
        Assert.Equal(dataType, y.DataType);
        Assert.Equal(new long[] { 2, 2 }, y.Shape);
        Assert.Equal(data.GetType(), y.Data.GetType());
        Assert.Equal(data, y.Data);
    }

    [Fact]
    public async Task RunAsync_ArrayOfTheWrongClrTypeNotCaughtBeforehand_ThrowsInvalidParameter()
    {
        using var dir = new TempDirectory();
        using var model = await _loader.LoadAsync(dir.File("model.onnx", OnnxTestModels.Identity(OnnxTestModels.Float)), CancellationToken.None);

        var error = await Assert.ThrowsAsync<SlipwayException>(async () =>
            await model.RunAsync([new Tensor("x", TensorDataType.Fp32, [1, 2], new double[2])], null, CancellationToken.None));

        Assert.Contains("holds Double[] data, but datatype FP32 needs Single[]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_ReleasesTheSession_LaterRunsFail()
    {
        var golden = GoldenModel.Read("linreg_diabetes");
        var model = await _loader.LoadAsync(golden.ModelFile, CancellationToken.None);

        model.Dispose();

        await Assert.ThrowsAnyAsync<ObjectDisposedException>(async () => await model.RunAsync(golden.InputBatch(0, 1), null, CancellationToken.None));
    }
}
