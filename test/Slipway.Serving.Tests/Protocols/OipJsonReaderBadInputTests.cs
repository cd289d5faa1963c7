using System.Text;
using Slipway.Core.Errors;
using Slipway.Serving.Protocols.Oip;

namespace Slipway.Serving.Tests.Protocols;

/// <summary>Every malformed request is a <see cref="SlipwayException"/> that OIP answers with 400, and says what is wrong.</summary>
public sealed class OipJsonReaderBadInputTests
{
    private const string X = """{"name":"x","shape":[2],"datatype":"FP32","data":[1,2]}""";

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "", "Malformed JSON" },
        { "   ", "Malformed JSON" },
        { "{", "Malformed JSON" },
        { "{\"inputs\":[" + X + "]", "Malformed JSON" },
        { "{\"inputs\":[" + X + "]} trailing", "Malformed JSON" },
        { "{\"inputs\":[" + X + ",]}", "Malformed JSON" },
        { "[1,2]", "must be a JSON object" },
        { "{}", "no 'inputs'" },
        { "{\"inputs\":{}}", "'inputs' must be an array" },
        { "{\"inputs\":[1]}", "Input #0 must be an object" },
        { "{\"inputs\":[" + X + "],\"inputs\":[]}", "more than once" },
        { "{\"id\":7,\"inputs\":[" + X + "]}", "'id' must be a string" },
        { """{"inputs":[{"shape":[1],"datatype":"FP32","data":[1]}]}""", "Input #0 has no 'name'" },
        { """{"inputs":[{"name":5,"shape":[1],"datatype":"FP32","data":[1]}]}""", "'name' must be a string" },
        { """{"inputs":[{"name":"x","shape":[1],"data":[1]}]}""", "'x' has no 'datatype'" },
        { """{"inputs":[{"name":"x","datatype":"FP32","data":[1]}]}""", "'x' has no 'shape'" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"FP32"}]}""", "'x' has no 'data'" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"FP128","data":[1]}]}""", "unknown datatype 'FP128'" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"fp32","data":[1]}]}""", "unknown datatype 'fp32'" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":3,"data":[1]}]}""", "'datatype' must be a string" },
        { """{"inputs":[{"name":"x","shape":[-1],"datatype":"FP32","data":[1]}]}""", "non-negative integers" },
        { """{"inputs":[{"name":"x","shape":[1.5],"datatype":"FP32","data":[1]}]}""", "non-negative integers" },
        { """{"inputs":[{"name":"x","shape":"1","datatype":"FP32","data":[1]}]}""", "non-negative integers" },
        { """{"inputs":[{"name":"x","shape":[16777217],"datatype":"FP32","data":[1]}]}""", "exceeds the limit of 16777216 elements" },
        { """{"inputs":[{"name":"x","shape":[4096,4097],"datatype":"FP32","data":[1]}]}""", "exceeds the limit" },
        { """{"inputs":[{"name":"x","shape":[4294967296,4294967296,4294967296],"datatype":"FP32","data":[1]}]}""", "exceeds the limit" },
        { """{"inputs":[{"name":"x","shape":[1000000],"datatype":"FP64","data":[1]}]}""", "more than a" },
        { """{"inputs":[{"name":"x","shape":[3],"datatype":"FP32","data":[1,2]}]}""", "'data' has 2 elements; shape [3] needs 3" },
        { """{"inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":[1,2,3]}]}""", "more than 2 elements" },
        { """{"inputs":[{"name":"x","shape":[2,2],"datatype":"FP32","data":[[1,2],[3]]}]}""", "nested 'data' does not follow shape" },
        { """{"inputs":[{"name":"x","shape":[2,2],"datatype":"FP32","data":[[1,2,3],[4]]}]}""", "nested 'data' does not follow shape" },
        { """{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[[[1,2,3,4]]]}]}""", "nested 'data' does not follow shape" },
        { """{"inputs":[{"name":"x","shape":[2,2],"datatype":"FP32","data":[1,2,[3,4]]}]}""", "nested 'data' does not follow shape" },
        { """{"inputs":[{"name":"x","shape":[4],"datatype":"FP32","data":[1,2,3]}]}""", "'data' has 3 elements" },
        { """{"inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":5}]}""", "'data' must be an array" },
        { """{"inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":[1,"abc"]}]}""", "Input 'x': data element 1 is a string, but FP32 data must be numbers" },
        { """{"inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":[1,null]}]}""", "data element 1 is null" },
        { """{"inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":[{"a":1},2]}]}""", "data element 0 is an object" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1e39]}]}""", "data element 0 (1e39) is not a valid FP32 value" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"FP16","data":[70000]}]}""", "is not a valid FP16 value" },
        { """{"inputs":[{"name":"x","shape":[2],"datatype":"INT8","data":[1,300]}]}""", "data element 1 (300) is not a valid INT8 value" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"INT32","data":[1.5]}]}""", "is not a valid INT32 value" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"UINT8","data":[-1]}]}""", "is not a valid UINT8 value" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"INT64","data":["5"]}]}""", "is a string, but INT64 data must be integers" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"BOOL","data":[1]}]}""", "BOOL data must be true or false" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"BYTES","data":[5]}]}""", "BYTES data must be strings" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":["nan"]}]}""", "is a string" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"BYTES","data":["\ud800"]}]}""", "Malformed JSON" },
        { "{\"inputs\":[" + X + "," + X + "]}", "Input 'x' appears more than once" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1],"data":[2]}]}""", "'data' appears more than once" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1],"parameters":{"binary_data_size":4}}]}""", "both 'data' and the 'binary_data_size'" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","parameters":{"binary_data_size":-4}}]}""", "'binary_data_size' must be a non-negative integer" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","parameters":{"binary_data_size":"4"}}]}""", "'binary_data_size' must be a non-negative integer" },
        { """{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","parameters":[1],"data":[1]}]}""", "'parameters' of input 'x' must be an object" },
        { "{\"parameters\":{\"p\":[1]},\"inputs\":[" + X + "]}", "Parameter 'p' of the request must be a string, number or boolean" },
        { "{\"parameters\":{\"p\":{\"q\":1}},\"inputs\":[" + X + "]}", "must be a string, number or boolean" },
        { "{\"parameters\":{\"binary_data_output\":\"yes\"},\"inputs\":[" + X + "]}", "'binary_data_output' must be a boolean" },
        { "{\"inputs\":[" + X + "],\"outputs\":{}}", "'outputs' must be an array" },
        { "{\"inputs\":[" + X + "],\"outputs\":[\"y\"]}", "Output #0 must be an object" },
        { "{\"inputs\":[" + X + "],\"outputs\":[{}]}", "Output #0 has no 'name'" },
        { "{\"inputs\":[" + X + "],\"outputs\":[{\"name\":\"y\"},{\"name\":\"y\"}]}", "'y' is requested more than once" },
        { "{\"inputs\":[" + X + "],\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":\"true\"}}]}", "'binary_data' must be a boolean" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public void Parse_MalformedBody_ThrowsA400SlipwayException(string body, string messagePart)
    {
        var error = Assert.Throws<SlipwayException>(() => OipJsonReader.Parse(Encoding.UTF8.GetBytes(body), new OipOptions()));

        Assert.Equal(400, OipErrors.StatusFor(error.Code));
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidUtf8InAName_IsA400()
    {
        byte[] body = [.. "{\"inputs\":[{\"name\":\""u8, 0xC3, 0x28, .. "\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}"u8];

        var error = Assert.Throws<SlipwayException>(() => OipJsonReader.Parse(body, new OipOptions()));

        Assert.Equal(400, OipErrors.StatusFor(error.Code));
    }

    [Fact]
    public void Parse_ElementLimitFromOptions_IsEnforced()
    {
        var body = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"x","shape":[3,2],"datatype":"FP32","data":[1,2,3,4,5,6]}]}""");

        var error = Assert.Throws<SlipwayException>(() => OipJsonReader.Parse(body, new OipOptions { MaxTensorElements = 5 }));

        Assert.Contains("shape [3, 2] exceeds the limit of 5 elements", error.Message, StringComparison.Ordinal);
    }
}
