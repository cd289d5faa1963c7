using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;
using Slipway.Serving.Protocols.Oip;

namespace Slipway.Serving.Tests.Protocols;

/// <summary>The request side of the binary tensor extension: JSON header + raw tensors, and raw single-input bodies.</summary>
public sealed class OipBinaryTests
{
    private static readonly OipEchoTarget Target = new("m");

    internal static byte[] Body(string header, params byte[][] tensors) => [.. Encoding.UTF8.GetBytes(header), .. tensors.SelectMany(t => t)];

    internal static byte[] Raw<T>(params T[] values)
        where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    internal static float[] FloatsOf(byte[] raw) => MemoryMarshal.Cast<byte, float>(raw).ToArray();

    internal static byte[] BytesElements(params string[] elements)
    {
        var buffer = new List<byte>();
        foreach (var element in elements)
        {
            var bytes = Encoding.UTF8.GetBytes(element);
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)bytes.Length);
            buffer.AddRange(length);
            buffer.AddRange(bytes);
        }
        return [.. buffer];
    }

    private static OipInferRequest Decode(string header, params byte[][] tensors) =>
        OipEndpoints.Decode(Encoding.UTF8.GetByteCount(header).ToString(), Body(header, tensors), Target, new OipOptions());

    [Fact]
    public void Decode_BinaryInputs_AreReadInInputOrderBesideJsonData()
    {
        var request = Decode(
            """
            {"inputs":[
              {"name":"f","shape":[2,2],"datatype":"FP32","parameters":{"binary_data_size":16}},
              {"name":"j","shape":[1],"datatype":"INT64","data":[9]},
              {"name":"b","shape":[3],"datatype":"BOOL","parameters":{"binary_data_size":3}},
              {"name":"s","shape":[2],"datatype":"BYTES","parameters":{"binary_data_size":22}}]}
            """,
            Raw(1.5f, -2f, 0.1f, float.NaN), [1, 0, 1], BytesElements("kraków", "zürich"));

        var inputs = request.ToInferenceRequest().Inputs;
        Assert.Equal(new[] { 1.5f, -2f, 0.1f, float.NaN }, Assert.IsType<float[]>(inputs[0].Data));
        Assert.Equal([9L], Assert.IsType<long[]>(inputs[1].Data));
        Assert.Equal([true, false, true], Assert.IsType<bool[]>(inputs[2].Data));
        Assert.Equal(["kraków", "zürich"], Assert.IsType<byte[][]>(inputs[3].Data).Select(Encoding.UTF8.GetString));
    }

    public static TheoryData<string, byte[], Array> FixedSizeDatatypes => new()
    {
        { "UINT8", Raw<byte>(1, 255), new byte[] { 1, 255 } },
        { "UINT16", Raw<ushort>(1, 65535), new ushort[] { 1, 65535 } },
        { "UINT32", Raw(1u, uint.MaxValue), new[] { 1u, uint.MaxValue } },
        { "UINT64", Raw(1ul, ulong.MaxValue), new[] { 1ul, ulong.MaxValue } },
        { "INT8", Raw<sbyte>(-128, 127), new sbyte[] { -128, 127 } },
        { "INT16", Raw<short>(-1, 300), new short[] { -1, 300 } },
        { "INT32", Raw(-1, int.MaxValue), new[] { -1, int.MaxValue } },
        { "INT64", Raw(-1L, long.MinValue), new[] { -1L, long.MinValue } },
        { "FP16", Raw((Half)0.1, Half.NegativeInfinity), new[] { (Half)0.1, Half.NegativeInfinity } },
        { "FP64", Raw(0.1, double.Epsilon), new[] { 0.1, double.Epsilon } },
        { "BF16", Raw<ushort>(0x3F80, 0x7FC0), new ushort[] { 0x3F80, 0x7FC0 } },
    };

    [Theory]
    [MemberData(nameof(FixedSizeDatatypes))]
    public void Decode_BinaryFixedSizeDatatype_CopiesLittleEndianElements(string datatype, byte[] raw, Array expected)
    {
        var request = Decode($$$"""{"inputs":[{"name":"t","shape":[2],"datatype":"{{{datatype}}}","parameters":{"binary_data_size":{{{raw.Length}}}}}]}""", raw);

        var data = Assert.Single(request.Inputs).Data!;
        Assert.Equal(expected.GetType(), data.GetType());
        Assert.Equal(expected, data);
    }

    [Fact]
    public void Decode_HeaderLengthZero_ReadsTheRawSingleInputShapedFromTheSignature()
    {
        var target = new OipEchoTarget("m") { Signature = new ModelSignature([new TensorSpec("input", TensorDataType.Fp32, [-1, 3])], []) };

        var request = OipEndpoints.Decode("0", Raw(1f, 2f, 3f, 4f, 5f, 6f), target, new OipOptions());

        var input = Assert.Single(request.Inputs);
        Assert.Equal("input", input.Name);
        Assert.Equal(TensorDataType.Fp32, input.DataType);
        Assert.Equal([2L, 3L], input.Shape);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], Assert.IsType<float[]>(input.Data));
    }

    [Fact]
    public void Decode_HeaderLengthZeroWithBytesInput_CountsTheLengthPrefixedElements()
    {
        var target = new OipEchoTarget("m") { Signature = new ModelSignature([new TensorSpec("text", TensorDataType.Bytes, [-1, 1])], []) };

        var request = OipEndpoints.Decode("0", BytesElements("a", "", "são paulo"), target, new OipOptions());

        var input = Assert.Single(request.Inputs);
        Assert.Equal([3L, 1L], input.Shape);
        Assert.Equal(["a", "", "são paulo"], Assert.IsType<byte[][]>(input.Data).Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public void Decode_HeaderLengthZeroBeforeTheModelIsLoaded_IsTemporarilyUnavailable()
    {
        var target = new OipEchoTarget("m") { Signature = null };

        var error = Assert.Throws<SlipwayException>(() => OipEndpoints.Decode("0", Raw(1f), target, new OipOptions()));

        Assert.Equal(503, OipErrors.StatusFor(error.Code));
    }

    private const string OneFp32 = """{"inputs":[{"name":"f","shape":[1],"datatype":"FP32","parameters":{"binary_data_size":4}}]}""";

    /// <summary>Header length (null: the length of the JSON), JSON header, binary part, and what the message must say.</summary>
    public static TheoryData<string?, string, byte[], string> MalformedBinaryBodies => new()
    {
        { "abc", "{}", [], "Inference-Header-Content-Length must be an integer" },
        { "-1", "{}", [], "Inference-Header-Content-Length must be an integer" },
        { "99", "{}", [], "between 0 and the body length (2)" },
        { "0", "", Raw(1f, 2f), "needs a model with one input" },
        { null, """{"inputs":[{"name":"f","shape":[2],"datatype":"FP32","parameters":{"binary_data_size":4}}]}""", Raw(1f), "binary_data_size is 4 bytes, but shape [2] of FP32 takes 8" },
        { null, """{"inputs":[{"name":"f","shape":[2],"datatype":"FP32","parameters":{"binary_data_size":8}}]}""", Raw(1f), "runs past the end of the body" },
        { null, OneFp32, Raw(1f, 2f), "4 bytes of binary data follow" },
        { null, """{"inputs":[{"name":"f","shape":[1],"datatype":"FP32","data":[1]}]}""", Raw(1f), "4 bytes of binary data follow" },
        { null, """{"inputs":[{"name":"b","shape":[2],"datatype":"BOOL","parameters":{"binary_data_size":2}}]}""", [1, 2], "BOOL element 1 is 2" },
        { null, """{"inputs":[{"name":"s","shape":[1],"datatype":"BYTES","parameters":{"binary_data_size":6}}]}""", [9, 0, 0, 0, 65, 66], "declares 9 bytes, but only 2 remain" },
        { null, """{"inputs":[{"name":"s","shape":[1],"datatype":"BYTES","parameters":{"binary_data_size":3}}]}""", [1, 0, 0], "cannot hold 1 BYTES elements" },
        { null, """{"inputs":[{"name":"s","shape":[2],"datatype":"BYTES","parameters":{"binary_data_size":8}}]}""", [1, 0, 0, 0, 65, 66, 67, 0], "BYTES element 1 is cut off" },
        { null, """{"inputs":[{"name":"s","shape":[1],"datatype":"BYTES","parameters":{"binary_data_size":7}}]}""", [1, 0, 0, 0, 65, 66, 67], "2 bytes follow its 1 BYTES elements" },
        { null, """{"inputs":[{"name":"f","shape":[1],"datatype":"FP32","parameters":{"binary_data_size":4}}]}  x""", Raw(1f), "Malformed JSON" },
    };

    [Theory]
    [MemberData(nameof(MalformedBinaryBodies))]
    public void Decode_MalformedBinaryBody_ThrowsA400SlipwayException(string? headerLength, string header, byte[] binary, string messagePart)
    {
        headerLength ??= Encoding.UTF8.GetByteCount(header).ToString();

        var error = Assert.Throws<SlipwayException>(() => OipEndpoints.Decode(headerLength, Body(header, binary), Target, new OipOptions()));

        Assert.Equal(400, OipErrors.StatusFor(error.Code));
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_BinaryDataSizeWithoutTheHeader_IsA400()
    {
        var error = Assert.Throws<SlipwayException>(() => OipEndpoints.Decode(null, Body(OneFp32), Target, new OipOptions()));

        Assert.Contains("runs past the end of the body", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RawBodyNotAWholeNumberOfElements_IsA400()
    {
        var target = new OipEchoTarget("m") { Signature = new ModelSignature([new TensorSpec("input", TensorDataType.Fp32, [-1, 3])], []) };

        var error = Assert.Throws<SlipwayException>(() => OipEndpoints.Decode("0", Raw(1f, 2f), target, new OipOptions()));

        Assert.Contains("2 elements do not fit shape [-1, 3]", error.Message, StringComparison.Ordinal);
    }
}
