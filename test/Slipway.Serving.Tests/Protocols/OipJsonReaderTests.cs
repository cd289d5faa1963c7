using System.Text;
using Slipway.Serving.Inference;
using Slipway.Serving.Protocols.Oip;

namespace Slipway.Serving.Tests.Protocols;

public sealed class OipJsonReaderTests
{
    internal static OipInferRequest Parse(string json) => OipJsonReader.Parse(Encoding.UTF8.GetBytes(json), new OipOptions());

    private static OipInput SingleInput(string datatype, string shape, string data) =>
        Assert.Single(Parse($$"""{"inputs":[{"name":"t","shape":{{shape}},"datatype":"{{datatype}}","data":{{data}}}]}""").Inputs);

    [Fact]
    public void Parse_FlatFp32_FillsFloatArrayWithShape()
    {
        var request = Parse("""{"id":"r1","inputs":[{"name":"x","shape":[2,3],"datatype":"FP32","data":[1,2.5,-3e2,0.1,4,5]}]}""");

        Assert.Equal("r1", request.Id);
        var input = Assert.Single(request.Inputs);
        Assert.Equal("x", input.Name);
        Assert.Equal(TensorDataType.Fp32, input.DataType);
        Assert.Equal([2L, 3L], input.Shape);
        Assert.Equal([1f, 2.5f, -300f, 0.1f, 4f, 5f], Assert.IsType<float[]>(input.Data));
    }

    [Fact]
    public void Parse_NestedData_IsFlattenedRowMajor()
    {
        var input = SingleInput("INT32", "[2,2,2]", "[[[1,2],[3,4]],[[5,6],[7,8]]]");

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], Assert.IsType<int[]>(input.Data));
    }

    [Fact]
    public void Parse_DataBeforeDatatypeAndShape_IsReadOnceTheyAreKnown()
    {
        var request = Parse("""{"inputs":[{"data":[[1,2],[3,4]],"name":"x","datatype":"FP64","shape":[2,2]}]}""");

        Assert.Equal([1.0, 2.0, 3.0, 4.0], Assert.IsType<double[]>(Assert.Single(request.Inputs).Data));
    }

    public static TheoryData<string, string, Array> EveryDatatype => new()
    {
        { "BOOL", "[true,false,true]", new[] { true, false, true } },
        { "UINT8", "[0,128,255]", new byte[] { 0, 128, 255 } },
        { "UINT16", "[0,1,65535]", new ushort[] { 0, 1, 65535 } },
        { "UINT32", "[0,1,4294967295]", new uint[] { 0, 1, 4294967295 } },
        { "UINT64", "[0,1,18446744073709551615]", new ulong[] { 0, 1, ulong.MaxValue } },
        { "INT8", "[-128,0,127]", new sbyte[] { -128, 0, 127 } },
        { "INT16", "[-32768,0,32767]", new short[] { -32768, 0, 32767 } },
        { "INT32", "[-2147483648,0,2147483647]", new[] { int.MinValue, 0, int.MaxValue } },
        { "INT64", "[-9223372036854775808,0,9223372036854775807]", new[] { long.MinValue, 0, long.MaxValue } },
        { "FP16", "[0.5,-2,65504]", new[] { (Half)0.5, (Half)(-2), Half.MaxValue } },
        { "FP32", "[0.1,-1.5,3.4028235e38]", new[] { 0.1f, -1.5f, float.MaxValue } },
        { "FP64", "[0.1,-1.5,1.7976931348623157e308]", new[] { 0.1, -1.5, double.MaxValue } },
        { "BF16", "[1,-2,0.5]", new ushort[] { 0x3F80, 0xC000, 0x3F00 } },
    };

    [Theory]
    [MemberData(nameof(EveryDatatype))]
    public void Parse_EveryDatatype_FillsItsArrayType(string datatype, string data, Array expected)
    {
        var input = SingleInput(datatype, "[3]", data);

        Assert.Equal(expected.GetType(), input.Data!.GetType());
        Assert.Equal(expected, input.Data);
    }

    [Fact]
    public void Parse_Bytes_AreTheUtf8OfEachString()
    {
        var input = SingleInput("BYTES", "[4,1]", """[["kraków"],["z\u00fcrich"],[""],["a\"b"]]""");

        var elements = Assert.IsType<byte[][]>(input.Data);
        Assert.Equal(["kraków", "zürich", "", "a\"b"], elements.Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public void Parse_NonFiniteStrings_AreReadForFloatTypes()
    {
        var floats = Assert.IsType<float[]>(SingleInput("FP32", "[3]", """["NaN","Infinity","-Infinity"]""").Data);
        var doubles = Assert.IsType<double[]>(SingleInput("FP64", "[3]", """["NaN","Infinity","-Infinity"]""").Data);

        Assert.True(float.IsNaN(floats[0]));
        Assert.Equal([float.PositiveInfinity, float.NegativeInfinity], floats[1..]);
        Assert.True(double.IsNaN(doubles[0]));
        Assert.Equal([double.PositiveInfinity, double.NegativeInfinity], doubles[1..]);
    }

    [Fact]
    public void Parse_EmptyTensor_HasEmptyData()
    {
        var input = SingleInput("FP32", "[0,3]", "[]");

        Assert.Empty(Assert.IsType<float[]>(input.Data));
    }

    [Fact]
    public void Parse_Parameters_KeepStringsIntegersRealsAndBooleans()
    {
        var request = Parse("""
            {"parameters":{"content_type":"np","top_k":3,"threshold":0.25,"binary_data_output":true,"empty":null},
             "inputs":[{"name":"x","shape":[1],"datatype":"FP32","parameters":{"content_type":"np"},"data":[1]}]}
            """);

        Assert.Equal("np", request.Parameters!["content_type"]);
        Assert.Equal(3L, request.Parameters["top_k"]);
        Assert.Equal(0.25, request.Parameters["threshold"]);
        Assert.Equal(true, request.Parameters["binary_data_output"]);
        Assert.Null(request.Parameters["empty"]);
        Assert.True(request.BinaryDataOutput);
    }

    [Fact]
    public void Parse_RequestedOutputs_KeepNamesAndBinaryFlags()
    {
        var request = Parse("""
            {"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}],
             "outputs":[{"name":"probabilities"},{"name":"label","parameters":{"binary_data":true}}]}
            """);

        Assert.Equal(["probabilities", "label"], request.Outputs!.Select(o => o.Name));
        Assert.False(request.IsBinaryOutput("probabilities"));
        Assert.True(request.IsBinaryOutput("label"));
        Assert.Equal(["probabilities", "label"], request.ToInferenceRequest().RequestedOutputs);
    }

    [Fact]
    public void Parse_OutputFlagFalse_OverridesRequestBinaryDataOutput()
    {
        var request = Parse("""
            {"parameters":{"binary_data_output":true},"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}],
             "outputs":[{"name":"a","parameters":{"binary_data":false}},{"name":"b"}]}
            """);

        Assert.False(request.IsBinaryOutput("a"));
        Assert.True(request.IsBinaryOutput("b"));
    }

    [Fact]
    public void Parse_NoOutputs_AsksForEveryOutput()
    {
        var request = Parse("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}],"outputs":[]}""");

        Assert.Null(request.ToInferenceRequest().RequestedOutputs);
    }

    [Fact]
    public void Parse_UnknownMembers_AreIgnored()
    {
        var request = Parse("""
            {"model_name":"m","extra":{"deep":[1,{"a":2}]},
             "inputs":[{"name":"x","shape":[1],"datatype":"FP32","note":[1,2],"data":[7]}]}
            """);

        Assert.Equal([7f], Assert.IsType<float[]>(Assert.Single(request.Inputs).Data));
    }

    [Fact]
    public void ToInferenceRequest_CarriesIdInputsAndParameters()
    {
        var request = Parse("""
            {"id":"abc","parameters":{"p":"v"},"inputs":[{"name":"a","shape":[1],"datatype":"INT64","data":[5]},
             {"name":"b","shape":[1],"datatype":"BYTES","data":["s"]}]}
            """).ToInferenceRequest();

        Assert.Equal("abc", request.Id);
        Assert.Equal(["a", "b"], request.Inputs.Select(t => t.Name));
        Assert.Equal([5L], Assert.IsType<long[]>(request.Inputs[0].Data));
        Assert.Equal("v", request.Parameters!["p"]);
    }
}
