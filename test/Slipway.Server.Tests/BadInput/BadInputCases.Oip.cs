using System.Globalization;
using System.Text;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// Open Inference Protocol (KServe V2) REST rows against the fixture's served endpoint (input <c>input</c> FP32
/// [-1, 30]). Every error is <c>{"error": "&lt;message&gt;"}</c> and nothing else: a request the model cannot take is 400,
/// before the runtime sees it and before a declared shape is allocated; an unknown model or a version it does not
/// serve is 404 (looked up before the body is read).
/// </summary>
public static partial class BadInputCases
{
    public const string ServedEndpoint = "bc";
    public const string ServedModel = "bad-input-served";
    private const string OipModels = "/v2/models/";
    private const string OipInferTarget = OipModels + ServedEndpoint + "/infer";

    private static IEnumerable<BadInputCase> OipRoutes() =>
        [.. OipBodies(), .. OipInputs(), .. OipShapesAndData(), .. OipBinary(), .. OipModelRoutes()];

    private static IEnumerable<BadInputCase> OipBodies()
    {
        yield return OipInfer("with malformed JSON", """{"inputs": [""");
        yield return OipInfer("with an empty body", "");
        yield return OipInfer("with content after the request object", OipRequest(OipInput()) + " x");
        yield return Oip("infer with invalid UTF-8 in a string", "POST", OipInferTarget,
            BadInputCase.Bytes([.. Utf8("{\"inputs\": [{\"name\": \""), 0xFF, 0xFE, .. Utf8("\"}]}")], "application/json"), 400);
        yield return OipInfer("with a JSON array body", """[{"name": "input"}]""");
        yield return OipInfer("with a JSON string body", "\"inputs\"");
        yield return OipInfer("without inputs", """{"id": "r1"}""");
        yield return OipInfer("with inputs an object", $$"""{"inputs": {{OipInput()}}}""");
        yield return OipInfer("with inputs twice", $$"""{"inputs": [{{OipInput()}}], "inputs": [{{OipInput()}}]}""");
        yield return OipInfer("with a numeric id", $$"""{"id": 5, "inputs": [{{OipInput()}}]}""");
        yield return OipInfer("with parameters an array", $$"""{"parameters": [], "inputs": [{{OipInput()}}]}""");
        yield return OipInfer("with a non-boolean binary_data_output", $$"""{"parameters": {"binary_data_output": "yes"}, "inputs": [{{OipInput()}}]}""");
        yield return OipInfer("asking for an unknown output", $$"""{"inputs": [{{OipInput()}}], "outputs": [{"name": "no_such_output"}]}""");
        yield return OipInfer("asking for the same output twice", $$"""{"inputs": [{{OipInput()}}], "outputs": [{"name": "label"}, {"name": "label"}]}""");
        yield return OipInfer("with outputs an object", $$$"""{"inputs": [{{{OipInput()}}}], "outputs": {"name": "label"}}""");
        yield return OipInfer("with an output without name", $$$"""{"inputs": [{{{OipInput()}}}], "outputs": [{"parameters": {}}]}""");
        yield return OipInfer("with a non-boolean binary_data output parameter",
            $$$"""{"inputs": [{{{OipInput()}}}], "outputs": [{"name": "label", "parameters": {"binary_data": 1}}]}""");
    }

    private static IEnumerable<BadInputCase> OipInputs()
    {
        var features = Features(30);
        yield return OipInfer("with no inputs (missing input)", """{"inputs": []}""");
        yield return OipInfer("with an input that is not an object", """{"inputs": [5]}""");
        yield return OipInfer("with an input without name", $$"""{"inputs": [{"datatype": "FP32", "shape": [1, 30], "data": {{features}}}]}""");
        yield return OipInfer("with a numeric input name", $$"""{"inputs": [{"name": 5, "datatype": "FP32", "shape": [1, 30], "data": {{features}}}]}""");
        yield return OipInfer("with an input without datatype", $$"""{"inputs": [{"name": "input", "shape": [1, 30], "data": {{features}}}]}""");
        yield return OipInfer("with an input without shape", $$"""{"inputs": [{"name": "input", "datatype": "FP32", "data": {{features}}}]}""");
        yield return OipInfer("with an input without data", """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 30]}]}""");
        yield return OipInfer("with an unknown datatype", OipRequest(OipInput(datatype: "FLOAT32")));
        yield return OipInfer("with INT64 for the FP32 input", OipRequest(OipInput(datatype: "INT64", data: Integers(30))));
        yield return OipInfer("with BYTES for the FP32 input", OipRequest(OipInput(datatype: "BYTES", data: "[" + string.Join(", ", Enumerable.Repeat("\"a\"", 30)) + "]")));
        yield return OipInfer("with an extra unknown input", OipRequest(OipInput(), OipInput(name: "extra")));
        yield return OipInfer("with the same input twice", OipRequest(OipInput(), OipInput()));
    }

    private static IEnumerable<BadInputCase> OipShapesAndData()
    {
        yield return OipInfer("with shape of rank 1", OipRequest(OipInput(shape: "[30]")));
        yield return OipInfer("with shape of rank 3", OipRequest(OipInput(shape: "[1, 1, 30]")));
        yield return OipInfer("with a second dimension of 29", OipRequest(OipInput(shape: "[1, 29]", data: Features(29))));
        yield return OipInfer("with a negative dimension", OipRequest(OipInput(shape: "[-1, 30]")));
        yield return OipInfer("with a fractional dimension", OipRequest(OipInput(shape: "[1.5, 30]")));
        yield return OipInfer("with shape a string", OipRequest(OipInput(shape: "\"1,30\"")));
        yield return OipInfer("with 33 dimensions", OipRequest(OipInput(shape: "[" + string.Join(", ", Enumerable.Repeat(1, 33)) + "]", data: "[1]")));
        // Refused from the shape alone: 3e9 elements (12 GB of FP32) must never be allocated.
        yield return OipInfer("with the huge shape [100000000, 30]", OipRequest(OipInput(shape: "[100000000, 30]", data: "[1]")));
        yield return OipInfer("with a shape whose element count overflows", OipRequest(OipInput(shape: "[9223372036854775807, 9223372036854775807]", data: "[1]")));
        yield return OipInfer("with a shape within the tensor limit that the body cannot hold", OipRequest(OipInput(shape: "[4000000, 4]", data: "[1]")));
        yield return OipInfer("with 29 data elements for shape [1, 30]", OipRequest(OipInput(data: Features(29))));
        yield return OipInfer("with 31 data elements for shape [1, 30]", OipRequest(OipInput(data: Features(31))));
        yield return OipInfer("with 30 data elements for shape [2, 30]", OipRequest(OipInput(shape: "[2, 30]")));
        yield return OipInfer("with a string data element", OipRequest(OipInput(data: Features(29)[..^1] + ", \"abc\"]")));
        yield return OipInfer("with a null data element", OipRequest(OipInput(data: Features(29)[..^1] + ", null]")));
        yield return OipInfer("with an object data element", OipRequest(OipInput(data: Features(29)[..^1] + ", {\"v\": 1}]")));
        yield return OipInfer("with an FP32 data element out of range", OipRequest(OipInput(data: Features(29)[..^1] + ", 1e39]")));
        yield return OipInfer("with data an object", OipRequest(OipInput(data: """{"v": 1}""")));
        yield return OipInfer("with data null", OipRequest(OipInput(data: "null")));
        // Nested data must follow the shape (the spec's row-major nesting), not merely hold the right number of elements.
        yield return OipInfer("with ragged nested data of the right total", OipRequest(OipInput(shape: "[2, 30]", data: $"[{Features(31)}, {Features(29)}]")));
        yield return OipInfer("with data nested deeper than its shape", OipRequest(OipInput(data: $"[[{Features(30)}]]")));
        yield return OipInfer("with ragged nested data of the wrong total", OipRequest(OipInput(shape: "[2, 30]", data: $"[{Features(30)}, {Features(29)}]")));
    }

    private static BadInputCase Oip(string name, string method, string target, Func<BadInputFixture, HttpContent?>? body, int status,
        IReadOnlyDictionary<string, string>? headers = null) =>
        new("OIP " + name, method, target, body, status, [], Format: ErrorFormat.Oip, Headers: headers);

    private static BadInputCase OipInfer(string name, string json, int status = 400, string target = OipInferTarget) =>
        Oip("infer " + name, "POST", target, BadInputCase.Json(json), status);

    private static string OipRequest(params string[] inputs) => $$"""{"inputs": [{{string.Join(", ", inputs)}}]}""";

    /// <summary>One input object; by default the valid one-row input of the served model.</summary>
    private static string OipInput(string name = "input", string datatype = "FP32", string shape = "[1, 30]", string? data = null) =>
        $$"""{"name": "{{name}}", "datatype": "{{datatype}}", "shape": {{shape}}, "data": {{data ?? Features(30)}}}""";

    /// <summary>A JSON list of <paramref name="count"/> feature values (0.5, 1, 1.5, …).</summary>
    private static string Features(int count) =>
        "[" + string.Join(", ", Enumerable.Range(1, count).Select(i => (i * 0.5).ToString(CultureInfo.InvariantCulture))) + "]";

    private static string Integers(int count) => "[" + string.Join(", ", Enumerable.Range(1, count)) + "]";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
