using System.Text;
using System.Text.Json;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Tests.Models;

/// <summary>
/// One model of the ONNX conformance kit (<c>TestData/onnx/&lt;model&gt;</c>): its <c>golden.json</c> signature,
/// the 24 golden rows as request tensors, and the expected outputs compared with the kit's tolerance
/// (FP32: |a − e| ≤ atol + rtol·|e|; INT64 exact).
/// </summary>
internal sealed class GoldenModel
{
    public static readonly string[] All =
        ["logreg_breast_cancer", "mlp_digits", "gbt_wine", "linreg_diabetes", "mixed_tabular", "mlp_throughput"];

    public static readonly string[] WithMlflowDirectory = ["logreg_breast_cancer", "mixed_tabular"];

    private readonly JsonElement _root;
    private readonly double _rtol;
    private readonly double _atol;

    private GoldenModel(string name, JsonElement root)
    {
        Name = name;
        _root = root;
        Inputs = ReadSpecs(root.GetProperty("inputs"));
        Outputs = ReadSpecs(root.GetProperty("outputs"));
        Rows = root.GetProperty("test_data").GetProperty("rows").GetInt32();
        var fp32 = root.GetProperty("tolerance").GetProperty("FP32");
        _rtol = fp32.GetProperty("rtol").GetDouble();
        _atol = fp32.GetProperty("atol").GetDouble();
    }

    public static TheoryData<string> AllNames => [.. All];

    public static TheoryData<string> MlflowNames => [.. WithMlflowDirectory];

    public string Name { get; }

    public string Directory => DirectoryOf(Name);

    public string ModelFile => Path.Combine(Directory, "model.onnx");

    public string MlflowDirectory => Path.Combine(Directory, "mlflow_model");

    public IReadOnlyList<TensorSpec> Inputs { get; }

    public IReadOnlyList<TensorSpec> Outputs { get; }

    public int Rows { get; }

    public JsonElement MlflowModel => _root.GetProperty("mlflow_model");

    public static string DirectoryOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "onnx", name);

    public static GoldenModel Read(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(DirectoryOf(name), "golden.json")));
        return new GoldenModel(name, document.RootElement.Clone());
    }

    /// <summary>Golden rows <paramref name="start"/> … start + count − 1 as one batch, one tensor per input.</summary>
    public IReadOnlyList<Tensor> InputBatch(int start, int count)
    {
        var data = _root.GetProperty("test_data").GetProperty("inputs");
        var tensors = new Tensor[Inputs.Count];
        for (var i = 0; i < tensors.Length; i++)
        {
            var spec = Inputs[i];
            var values = Flatten(data.GetProperty(spec.Name), start, count);
            var shape = BatchShape(spec.Shape, count);
            Array array = spec.DataType switch
            {
                TensorDataType.Fp32 => values.Select(v => v.GetSingle()).ToArray(),
                TensorDataType.Int64 => values.Select(v => v.GetInt64()).ToArray(),
                TensorDataType.Bytes => values.Select(v => Encoding.UTF8.GetBytes(v.GetString()!)).ToArray(),
                _ => throw new NotSupportedException(spec.DataType.ToString()),
            };
            tensors[i] = new Tensor(spec.Name, spec.DataType, shape, array);
        }

        return tensors;
    }

    /// <summary>Checks every output of <paramref name="actual"/> (matched by name) against the expected rows.</summary>
    public void AssertOutputs(IReadOnlyList<Tensor> actual, int start, int count, IReadOnlyList<string>? only = null)
    {
        var expected = _root.GetProperty("test_data").GetProperty("expected_outputs");
        var names = only ?? Outputs.Select(o => o.Name).ToList();
        Assert.Equal(names, actual.Select(t => t.Name));
        foreach (var tensor in actual)
        {
            var spec = Outputs.Single(o => o.Name == tensor.Name);
            Assert.Equal(spec.DataType, tensor.DataType);
            Assert.Equal(BatchShape(spec.Shape, count), tensor.Shape);
            var values = Flatten(expected.GetProperty(tensor.Name), start, count);
            Assert.Equal(values.Count, tensor.Data.Length);
            for (var k = 0; k < values.Count; k++)
            {
                var where = $"{Name}.{tensor.Name}[{k}] (rows {start}..{start + count - 1})";
                if (tensor.DataType == TensorDataType.Int64)
                {
                    Assert.True(values[k].GetInt64() == ((long[])tensor.Data)[k], $"{where}: expected {values[k].GetInt64()}, got {((long[])tensor.Data)[k]}");
                }
                else
                {
                    var e = values[k].GetDouble();
                    double a = ((float[])tensor.Data)[k];
                    Assert.True(Math.Abs(a - e) <= _atol + _rtol * Math.Abs(e), $"{where}: expected {e:R}, got {a:R}");
                }
            }
        }
    }

    private static long[] BatchShape(long[] specShape, int batch)
    {
        var shape = (long[])specShape.Clone();
        shape[0] = batch;
        return shape;
    }

    private static List<JsonElement> Flatten(JsonElement rows, int start, int count)
    {
        var values = new List<JsonElement>();
        for (var r = start; r < start + count; r++)
            Collect(rows[r], values);
        return values;
    }

    private static void Collect(JsonElement element, List<JsonElement> into)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            into.Add(element);
            return;
        }

        foreach (var item in element.EnumerateArray())
            Collect(item, into);
    }

    private static TensorSpec[] ReadSpecs(JsonElement specs) =>
        specs.EnumerateArray().Select(s =>
        {
            Assert.True(TensorDataTypes.TryParse(s.GetProperty("datatype").GetString(), out var type));
            return new TensorSpec(s.GetProperty("name").GetString()!, type, s.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray());
        }).ToArray();
}
