using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;
using Slipway.Serving.Protocols.Oip;

namespace Slipway.Serving.Tests.Protocols;

public sealed class OipJsonWriterTests
{
    private static JsonElement Write(IReadOnlyList<Tensor> outputs, string? id = "r1", OipInferRequest? request = null,
        IReadOnlyDictionary<string, object?>? parameters = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, OipJsonWriter.WriterOptions))
        {
            var pending = OipJsonWriter.WriteInferResponseAsync(writer, null, "m", new InferenceResult("m/3", "primary", outputs), id, request, parameters, default);
            Assert.True(pending.IsCompletedSuccessfully);
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static string DataText(Tensor output) => Write([output]).GetProperty("outputs")[0].GetProperty("data").GetRawText();

    [Fact]
    public void WriteInferResponse_WritesModelVersionIdAndOutputs()
    {
        var response = Write([new Tensor("y", TensorDataType.Fp32, [2, 1], new[] { 1.5f, -2f })]);

        Assert.Equal("m", response.GetProperty("model_name").GetString());
        Assert.Equal("3", response.GetProperty("model_version").GetString());
        Assert.Equal("r1", response.GetProperty("id").GetString());
        Assert.False(response.TryGetProperty("parameters", out _));
        var output = response.GetProperty("outputs")[0];
        Assert.Equal("y", output.GetProperty("name").GetString());
        Assert.Equal("FP32", output.GetProperty("datatype").GetString());
        Assert.Equal("[2,1]", output.GetProperty("shape").GetRawText());
        Assert.Equal("[1.5,-2]", output.GetProperty("data").GetRawText());
    }

    [Fact]
    public void WriteInferResponse_WithoutId_LeavesIdOutAndWritesParameters()
    {
        var response = Write([], id: null, parameters: new Dictionary<string, object?> { ["s"] = "v", ["n"] = 2L, ["r"] = 0.5, ["b"] = true });

        Assert.False(response.TryGetProperty("id", out _));
        Assert.Equal("""{"s":"v","n":2,"r":0.5,"b":true}""", response.GetProperty("parameters").GetRawText());
    }

    [Fact]
    public void WriteData_Fp32_UsesTheShortestRoundTripForm()
    {
        float[] values = [0.1f, 1f / 3, 16.433615f, 1e-10f, float.MaxValue, -0f];

        var text = DataText(new Tensor("y", TensorDataType.Fp32, [6], values));

        Assert.StartsWith("[0.1,0.33333334,16.433615,", text, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize<float[]>(text)!;
        Assert.Equal(values, back);
    }

    [Fact]
    public void WriteData_NonFiniteFloats_AreStrings()
    {
        Assert.Equal("""["NaN","Infinity","-Infinity"]""", DataText(new Tensor("y", TensorDataType.Fp32, [3], new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })));
        Assert.Equal("""["NaN","Infinity","-Infinity"]""", DataText(new Tensor("y", TensorDataType.Fp64, [3], new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })));
        Assert.Equal("""["NaN","-Infinity"]""", DataText(new Tensor("y", TensorDataType.Fp16, [2], new[] { Half.NaN, Half.NegativeInfinity })));
    }

    public static TheoryData<TensorDataType, Array, string> EveryDatatype => new()
    {
        { TensorDataType.Bool, new[] { true, false }, "[true,false]" },
        { TensorDataType.UInt8, new byte[] { 0, 255 }, "[0,255]" },
        { TensorDataType.UInt16, new ushort[] { 0, 65535 }, "[0,65535]" },
        { TensorDataType.UInt32, new[] { 0u, uint.MaxValue }, "[0,4294967295]" },
        { TensorDataType.UInt64, new[] { 0ul, ulong.MaxValue }, "[0,18446744073709551615]" },
        { TensorDataType.Int8, new sbyte[] { -128, 127 }, "[-128,127]" },
        { TensorDataType.Int16, new short[] { -32768, 32767 }, "[-32768,32767]" },
        { TensorDataType.Int32, new[] { int.MinValue, int.MaxValue }, "[-2147483648,2147483647]" },
        { TensorDataType.Int64, new[] { long.MinValue, long.MaxValue }, "[-9223372036854775808,9223372036854775807]" },
        { TensorDataType.Fp16, new[] { (Half)0.1, (Half)(-65504) }, "[0.1,-65500]" },
        { TensorDataType.Fp32, new[] { 0.1f, -2.5f }, "[0.1,-2.5]" },
        { TensorDataType.Fp64, new[] { 0.1, 1e300 }, "[0.1,1E+300]" },
        { TensorDataType.Bf16, new ushort[] { 0x3F80, 0xC020 }, "[1,-2.5]" },
        { TensorDataType.Bytes, new[] { "kraków"u8.ToArray(), "a\"b"u8.ToArray() }, "[\"kraków\",\"a\\\"b\"]" },
    };

    [Theory]
    [MemberData(nameof(EveryDatatype))]
    public void WriteData_EveryDatatype_WritesItsJsonForm(TensorDataType type, Array data, string expected)
    {
        Assert.Equal(expected, DataText(new Tensor("y", type, [2], data)));
    }

    [Fact]
    public void WriteData_LargeTensor_IsWrittenWhole()
    {
        var values = Enumerable.Range(0, 5000).Select(i => (float)i).ToArray();

        var back = JsonSerializer.Deserialize<float[]>(DataText(new Tensor("y", TensorDataType.Fp32, [50, 100], values)));

        Assert.Equal(values, back);
    }

    [Fact]
    public void Validate_BytesThatAreNotUtf8_AreRefusedForJsonButAllowedAsBinary()
    {
        Tensor[] outputs = [new Tensor("y", TensorDataType.Bytes, [1], new[] { new byte[] { 0xFF, 0xFE } })];

        var error = Assert.Throws<SlipwayException>(() => OipJsonWriter.Validate(outputs, null));
        Assert.Contains("binary_data", error.Message, StringComparison.Ordinal);

        OipJsonWriter.Validate(outputs, OipJsonReaderTests.Parse("""{"parameters":{"binary_data_output":true},"inputs":[]}"""));
    }

    [Fact]
    public void Validate_DataOfTheWrongType_IsAServerFault()
    {
        Assert.Throws<InvalidOperationException>(() => OipJsonWriter.Validate([new Tensor("y", TensorDataType.Fp32, [2], new[] { 1.0, 2.0 })], null));
        Assert.Throws<InvalidOperationException>(() => OipJsonWriter.Validate([new Tensor("y", TensorDataType.Fp32, [3], new[] { 1f, 2f })], null));
    }

    [Fact]
    public async Task WriteBinaryResponse_RoundTripsEveryBinaryOutputAndKeepsJsonOnes()
    {
        var request = OipJsonReaderTests.Parse("""
            {"parameters":{"binary_data_output":true},"inputs":[],
             "outputs":[{"name":"f"},{"name":"s"},{"name":"b"},{"name":"j","parameters":{"binary_data":false}}]}
            """);
        var result = new InferenceResult("m/1", "primary",
        [
            new Tensor("f", TensorDataType.Fp32, [2, 2], new[] { 0.1f, -1f, float.NaN, 3e38f }),
            new Tensor("s", TensorDataType.Bytes, [2], new[] { "zürich"u8.ToArray(), Array.Empty<byte>() }),
            new Tensor("b", TensorDataType.Bool, [3], new[] { true, false, true }),
            new Tensor("j", TensorDataType.Int64, [1], new[] { 7L }),
        ]);
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;

        await OipBinaryWriter.WriteResponseAsync(context.Response, "m", result, "id-1", request, default);

        Assert.Equal("application/octet-stream", context.Response.ContentType);
        var headerLength = int.Parse(context.Response.Headers["Inference-Header-Content-Length"]!);
        Assert.Equal(body.Length, context.Response.ContentLength);
        var response = OipBinaryResponse.Parse(body.ToArray(), headerLength);
        Assert.Equal("id-1", response.Header.GetProperty("id").GetString());
        Assert.Equal(16, response.Output("f").GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
        Assert.False(response.Output("f").TryGetProperty("data", out _));
        Assert.Equal(new[] { 0.1f, -1f, float.NaN, 3e38f }, OipBinaryTests.FloatsOf(response.Binary["f"]));
        Assert.Equal(["zürich", ""], OipBinaryResponse.BytesElements(response.Binary["s"]));
        Assert.Equal([1, 0, 1], response.Binary["b"]);
        Assert.Equal("[7]", response.Output("j").GetProperty("data").GetRawText());
        Assert.False(response.Binary.ContainsKey("j"));
    }
}
