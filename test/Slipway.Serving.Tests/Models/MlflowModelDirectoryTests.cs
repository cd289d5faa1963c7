using Slipway.Core.Errors;
using Slipway.Serving.Inference;
using Slipway.Serving.Models;

namespace Slipway.Serving.Tests.Models;

/// <summary>MLflow model directories (<c>MLmodel</c> + onnx flavor) and plain directories holding a model.</summary>
public sealed class MlflowModelDirectoryTests
{
    private readonly OnnxModelLoader _loader = new();

    [Theory]
    [MemberData(nameof(GoldenModel.MlflowNames), MemberType = typeof(GoldenModel))]
    public async Task LoadAsync_KitMlflowDirectory_UsesMlflowSignatureAndMatchesGolden(string name)
    {
        var golden = GoldenModel.Read(name);

        using var model = await _loader.LoadAsync(golden.MlflowDirectory, CancellationToken.None);

        var declared = golden.MlflowModel.GetProperty("signature_inputs").EnumerateArray().ToList();
        Assert.Equal(declared.Count, model.Signature.Inputs.Count);
        for (var i = 0; i < declared.Count; i++)
        {
            Assert.Equal(declared[i].GetProperty("name").GetString(), model.Signature.Inputs[i].Name);
            var dtype = declared[i].GetProperty("tensor-spec").GetProperty("dtype").GetString();
            Assert.Equal(dtype == "str" ? TensorDataType.Bytes : golden.Inputs[i].DataType, model.Signature.Inputs[i].DataType);
            Assert.Equal(declared[i].GetProperty("tensor-spec").GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()), model.Signature.Inputs[i].Shape);
        }

        Assert.Equal(
            golden.MlflowModel.GetProperty("signature_outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()),
            model.Signature.Outputs.Select(o => o.Name));
        golden.AssertOutputs(await model.RunAsync(golden.InputBatch(0, golden.Rows), null, CancellationToken.None), 0, golden.Rows);
    }

    [Fact]
    public async Task LoadAsync_PathOfMlmodelFile_LoadsItsDirectory()
    {
        var golden = GoldenModel.Read("mixed_tabular");

        using var model = await _loader.LoadAsync(Path.Combine(golden.MlflowDirectory, "MLmodel"), CancellationToken.None);

        golden.AssertOutputs(await model.RunAsync(golden.InputBatch(20, 4), null, CancellationToken.None), 20, 4);
    }

    [Fact]
    public async Task LoadAsync_MlmodelWithoutOnnxFlavor_ThrowsNamingTheFlavors()
    {
        using var dir = new TempDirectory();
        dir.File("MLmodel", "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n  sklearn:\n    pickled_model: model.pkl\n");
        dir.File("model.onnx", File.ReadAllBytes(GoldenModel.Read("linreg_diabetes").ModelFile));

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(dir.Path, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("has no onnx flavor (flavors: python_function, sklearn)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_DirectoryWithModelOnnxOnly_Loads()
    {
        using var dir = new TempDirectory();
        var golden = GoldenModel.Read("linreg_diabetes");
        dir.File("model.onnx", File.ReadAllBytes(golden.ModelFile));

        using var model = await _loader.LoadAsync(dir.Path, CancellationToken.None);

        golden.AssertOutputs(await model.RunAsync(golden.InputBatch(0, golden.Rows), null, CancellationToken.None), 0, golden.Rows);
    }

    [Fact]
    public async Task LoadAsync_DirectoryWithoutAnyModel_ThrowsInvalidParameter()
    {
        using var dir = new TempDirectory();
        dir.File("README.md", "nothing here");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(dir.Path, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("neither an MLmodel file nor an .onnx file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MissingPath_ThrowsNotFound()
    {
        var error = await Assert.ThrowsAsync<SlipwayException>(() =>
            _loader.LoadAsync(Path.Combine(Path.GetTempPath(), "slipway-no-such-model-" + Guid.NewGuid()), CancellationToken.None));

        Assert.Equal(ErrorCode.ResourceDoesNotExist, error.Code);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_OnnxDataOutsideTheDirectory_IsRefused()
    {
        using var outside = new TempDirectory();
        outside.File("model.onnx", File.ReadAllBytes(GoldenModel.Read("linreg_diabetes").ModelFile));
        using var dir = new TempDirectory();
        dir.File("MLmodel", $"flavors:\n  onnx:\n    data: ../{Path.GetFileName(outside.Path)}/model.onnx\n");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(dir.Path, CancellationToken.None));

        Assert.Contains("points outside the model directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_OnnxFlavorNamingAMissingFile_ThrowsInvalidParameter()
    {
        using var dir = new TempDirectory();
        dir.File("MLmodel", "flavors:\n  onnx:\n    data: weights/model.onnx\n");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(dir.Path, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("'weights/model.onnx', which is not in the model directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_InvalidYaml_ThrowsInvalidParameter()
    {
        using var dir = new TempDirectory();
        dir.File("MLmodel", "flavors: [onnx\n  data: {\n");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(dir.Path, CancellationToken.None));

        Assert.Contains("MLmodel is not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ExternalDataBesideModelInSubfolder_IsResolvedRelativeToTheModelFile()
    {
        using var dir = new TempDirectory();
        dir.File("MLmodel", "flavors:\n  onnx:\n    data: onnx/model.onnx\n");
        dir.File("onnx/model.onnx", OnnxTestModels.AddExternalWeights("weights.bin"));
        dir.File("onnx/weights.bin", OnnxTestModels.ExternalWeights());

        using var model = await _loader.LoadAsync(dir.Path, CancellationToken.None);
        var outputs = await model.RunAsync([new Tensor("x", TensorDataType.Fp32, [2, 3], new[] { 10f, 20f, 30f, 0f, 0f, 0f })], null, CancellationToken.None);

        Assert.Equal(new[] { 11f, 22f, 33f, 1f, 2f, 3f }, (float[])outputs[0].Data);
    }

    [Fact]
    public async Task LoadAsync_ExternalDataFileMissing_ThrowsInvalidParameter()
    {
        using var dir = new TempDirectory();
        dir.File("model.onnx", OnnxTestModels.AddExternalWeights("weights.bin"));

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(dir.Path, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("not a loadable ONNX model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MlflowSignatureShape_NarrowsSymbolicGraphDimensions()
    {
        using var dir = new TempDirectory();
        dir.File("model.onnx", OnnxTestModels.Identity(OnnxTestModels.Float, secondDim: "M"));
        dir.File("MLmodel", Mlmodel(
            """[{"name": "x", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}]""",
            """[{"name": "y", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}]"""));

        using var model = await _loader.LoadAsync(dir.Path, CancellationToken.None);

        Assert.Equal(new long[] { -1, 2 }, model.Signature.Inputs[0].Shape);
        Assert.Equal(new long[] { -1, 2 }, model.Signature.Outputs[0].Shape);
    }

    [Fact]
    public async Task LoadAsync_ColumnBasedMlflowSignature_FallsBackToTheGraph()
    {
        using var dir = new TempDirectory();
        dir.File("model.onnx", OnnxTestModels.Identity(OnnxTestModels.Float, secondDim: "M"));
        dir.File("MLmodel", Mlmodel("""[{"type": "double", "name": "a", "required": true}]""", """[{"type": "double", "required": true}]"""));

        using var model = await _loader.LoadAsync(dir.Path, CancellationToken.None);

        Assert.Equal("x", model.Signature.Inputs[0].Name);
        Assert.Equal(new long[] { -1, -1 }, model.Signature.Inputs[0].Shape);
    }

    [Fact]
    public async Task LoadAsync_MlflowSignatureDatatypeDisagreesWithGraph_ThrowsInvalidParameter()
    {
        using var dir = new TempDirectory();
        dir.File("model.onnx", OnnxTestModels.Identity(OnnxTestModels.Float));
        dir.File("MLmodel", Mlmodel("""[{"name": "x", "type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 2]}}]""", null));

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(dir.Path, CancellationToken.None));

        Assert.Contains("declares input 'x' as float64 (FP64), but the ONNX graph's is FP32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MlflowSignatureNamesAnUnknownInput_ThrowsInvalidParameter()
    {
        using var dir = new TempDirectory();
        dir.File("model.onnx", OnnxTestModels.Identity(OnnxTestModels.Float));
        dir.File("MLmodel", Mlmodel("""[{"name": "features", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}]""", null));

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _loader.LoadAsync(dir.Path, CancellationToken.None));

        Assert.Contains("input 'features' is not an input of the ONNX graph (inputs: x)", error.Message, StringComparison.Ordinal);
    }

    private static string Mlmodel(string inputs, string? outputs) =>
        "flavors:\n  onnx:\n    data: model.onnx\n  python_function:\n    loader_module: mlflow.onnx\nsignature:\n"
        + $"  inputs: '{inputs}'\n"
        + (outputs is null ? "" : $"  outputs: '{outputs}'\n");
}
