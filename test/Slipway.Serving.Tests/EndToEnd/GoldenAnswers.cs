using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Slipway.Serving.Protocols.Grpc;
using static Slipway.Serving.Tests.Protocols.GrpcTensors;

namespace Slipway.Serving.Tests.EndToEnd;

/// <summary>
/// A kit model's <c>golden.json</c> and its comparison rules (TestData/onnx/README.md): outputs matched by name, FP32
/// within <c>atol + rtol·|expected|</c>, everything else equal. Also turns the golden OIP request into a gRPC one.
/// </summary>
internal sealed class GoldenAnswers
{
    private GoldenAnswers(JsonElement root)
    {
        Root = root;
        var fp32 = root.GetProperty("tolerance").GetProperty("FP32");
        Rtol = fp32.GetProperty("rtol").GetDouble();
        Atol = fp32.GetProperty("atol").GetDouble();
    }

    public JsonElement Root { get; }

    public JsonElement Oip => Root.GetProperty("oip_v2");

    public double Rtol { get; }

    public double Atol { get; }

    public static GoldenAnswers Read(string model)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "onnx", model, "golden.json")));
        return new GoldenAnswers(document.RootElement.Clone());
    }

    /// <summary>Checks an OIP infer answer against an expected one: the same outputs by name, datatypes, shapes and data.</summary>
    public void AssertOipOutputs(JsonElement expected, JsonElement actual)
    {
        var actualOutputs = actual.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        var expectedOutputs = expected.GetProperty("outputs").EnumerateArray().ToList();
        Assert.Equal(expectedOutputs.Select(o => o.GetProperty("name").GetString()).Order(), actualOutputs.Keys.Order());
        foreach (var want in expectedOutputs)
        {
            var name = want.GetProperty("name").GetString()!;
            var got = actualOutputs[name];
            Assert.Equal(want.GetProperty("datatype").GetString(), got.GetProperty("datatype").GetString());
            Assert.Equal(Longs(want.GetProperty("shape")), Longs(got.GetProperty("shape")));
            AssertValues(name, want.GetProperty("datatype").GetString()!, Numbers(want.GetProperty("data")), Numbers(got.GetProperty("data")));
        }
    }

    /// <summary>Checks a gRPC answer (typed or raw contents) against the golden OIP answer.</summary>
    public void AssertGrpcOutputs(JsonElement expected, ModelInferResponse response)
    {
        var expectedOutputs = expected.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Equal(expectedOutputs.Keys.Order(), response.Outputs.Select(o => o.Name).Order());
        for (var i = 0; i < response.Outputs.Count; i++)
        {
            var output = response.Outputs[i];
            var want = expectedOutputs[output.Name];
            Assert.Equal(want.GetProperty("datatype").GetString(), output.Datatype);
            Assert.Equal(Longs(want.GetProperty("shape")), output.Shape.ToArray());
            var raw = response.RawOutputContents.Count > 0 ? response.RawOutputContents[i] : null;
            double[] values = output.Datatype switch
            {
                "FP32" => (raw is null ? output.Contents.Fp32Contents.ToArray() : FromRaw<float>(raw)).Select(v => (double)v).ToArray(),
                "INT64" => (raw is null ? output.Contents.Int64Contents.ToArray() : FromRaw<long>(raw)).Select(v => (double)v).ToArray(),
                _ => throw new NotSupportedException(output.Datatype),
            };
            AssertValues(output.Name, output.Datatype, Numbers(want.GetProperty("data")), values);
        }
    }

    /// <summary>Any JSON value against an expected one: same structure, numbers within the FP32 tolerance (integers exactly).</summary>
    public void AssertJson(JsonElement expected, JsonElement actual, string path = "$")
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{path}: expected {expected.ValueKind} {expected}, got {actual.ValueKind} {actual}");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(), actual.EnumerateObject().Select(p => p.Name).Order());
                foreach (var property in expected.EnumerateObject())
                    AssertJson(property.Value, actual.GetProperty(property.Name), $"{path}.{property.Name}");
                break;
            case JsonValueKind.Array:
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{path}: expected {expected.GetArrayLength()} items, got {actual}");
                for (var i = 0; i < expected.GetArrayLength(); i++)
                    AssertJson(expected[i], actual[i], $"{path}[{i}]");
                break;
            case JsonValueKind.Number:
                AssertClose(path, expected.GetDouble(), actual.GetDouble());
                break;
            default:
                Assert.Equal(expected.GetRawText(), actual.GetRawText());
                break;
        }
    }

    /// <summary>The golden OIP request as a gRPC request, each input in typed contents or as raw bytes.</summary>
    public static ModelInferRequest ToGrpc(string model, JsonElement oipRequest, bool raw)
    {
        var request = new ModelInferRequest { ModelName = model, Id = oipRequest.GetProperty("id").GetString() };
        foreach (var input in oipRequest.GetProperty("inputs").EnumerateArray())
        {
            var datatype = input.GetProperty("datatype").GetString()!;
            var data = input.GetProperty("data").EnumerateArray().ToList();
            var contents = new InferTensorContents();
            ByteString rawBytes;
            switch (datatype)
            {
                case "FP32":
                    var floats = data.Select(v => v.GetSingle()).ToArray();
                    contents.Fp32Contents.AddRange(floats);
                    rawBytes = Raw(floats);
                    break;
                case "INT64":
                    var longs = data.Select(v => v.GetInt64()).ToArray();
                    contents.Int64Contents.AddRange(longs);
                    rawBytes = Raw(longs);
                    break;
                case "BYTES":
                    var strings = data.Select(v => v.GetString()!).ToArray();
                    contents.BytesContents.AddRange(strings.Select(s => ByteString.CopyFrom(Encoding.UTF8.GetBytes(s))));
                    rawBytes = RawStrings(strings);
                    break;
                default:
                    throw new NotSupportedException(datatype);
            }
            request.Inputs.Add(Input(input.GetProperty("name").GetString()!, datatype, Longs(input.GetProperty("shape")), raw ? null : contents));
            if (raw)
                request.RawInputContents.Add(rawBytes);
        }
        return request;
    }

    private void AssertValues(string name, string datatype, double[] expected, double[] actual)
    {
        Assert.True(expected.Length == actual.Length, $"{name}: expected {expected.Length} values, got {actual.Length}");
        for (var i = 0; i < expected.Length; i++)
        {
            if (datatype == "FP32")
                AssertClose($"{name}[{i}]", expected[i], actual[i]);
            else
                Assert.True(expected[i] == actual[i], $"{name}[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }

    private void AssertClose(string where, double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= Atol + Rtol * Math.Abs(expected), $"{where}: expected {expected:R}, got {actual:R}");

    private static double[] Numbers(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static long[] Longs(JsonElement array) => array.EnumerateArray().Select(v => v.GetInt64()).ToArray();
}
