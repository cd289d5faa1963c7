using System.Runtime.InteropServices;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// OIP's binary tensor extension (a JSON header of <c>Inference-Header-Content-Length</c> bytes, then each input's
/// <c>binary_data_size</c> bytes; a header length of 0 makes the body one raw tensor), model metadata and readiness, and
/// routes under <c>/v2</c> that the protocol does not define.
/// </summary>
public static partial class BadInputCases
{
    private const string HeaderLengthHeader = "Inference-Header-Content-Length";
    private const int Fp32Bytes = sizeof(float);

    private static IEnumerable<BadInputCase> OipBinary()
    {
        var header = BinaryHeader(30 * Fp32Bytes);
        yield return OipBinaryInfer("header length beyond the body", header, Fp32(30), headerLength: "100000");
        yield return OipBinaryInfer("header length not a number", header, Fp32(30), headerLength: "abc");
        yield return OipBinaryInfer("negative header length", header, Fp32(30), headerLength: "-1");
        yield return OipBinaryInfer("header length cutting the JSON short", header, Fp32(30), headerLength: "20");
        yield return OipBinaryInfer("binary_data_size smaller than the shape needs", BinaryHeader(29 * Fp32Bytes), Fp32(29));
        yield return OipBinaryInfer("binary_data_size past the end of the body", header, Fp32(29));
        yield return OipBinaryInfer("bytes after the last binary_data_size", header, Fp32(31));
        yield return OipBinaryInfer("negative binary_data_size", BinaryHeader(-4), Fp32(30));
        yield return OipBinaryInfer("binary_data_size a string",
            """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 30], "parameters": {"binary_data_size": "120"}}]}""", Fp32(30));
        yield return OipBinaryInfer("both data and binary_data_size", $$$"""
            {"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 30], "data": {{{Features(30)}}}, "parameters": {"binary_data_size": 120}}]}
            """, Fp32(30));
        // Both refused from the header alone: the declared tensor (60 MB, 12 GB) is never allocated.
        yield return OipBinaryInfer("shape [500000, 30] with 120 bytes", BinaryHeader(30 * Fp32Bytes, "[500000, 30]"), Fp32(30));
        yield return OipBinaryInfer("the huge shape [100000000, 30]", BinaryHeader(30 * Fp32Bytes, "[100000000, 30]"), Fp32(30));

        yield return OipBinaryInfer("raw tensor of 7 bytes", "", [1, 2, 3, 4, 5, 6, 7], headerLength: "0");
        yield return OipBinaryInfer("raw tensor of 29 FP32 values", "", Fp32(29), headerLength: "0");
        yield return OipBinaryInfer("raw tensor to an unknown model", "", Fp32(30), headerLength: "0", status: 404,
            target: OipModels + UnknownModel + "/infer");
    }

    private static IEnumerable<BadInputCase> OipModelRoutes()
    {
        yield return OipInfer("of an unknown model", OipRequest(OipInput()), 404, OipModels + UnknownModel + "/infer");
        yield return OipInfer("of an unknown model with malformed JSON (the model is looked up first)", """{"inputs": [""", 404, OipModels + UnknownModel + "/infer");
        yield return OipInfer("of a version the endpoint does not serve", OipRequest(OipInput()), 404, OipModels + ServedEndpoint + "/versions/2/infer");
        yield return OipInfer("of the served version with a second dimension of 29", OipRequest(OipInput(shape: "[1, 29]", data: Features(29))), 400,
            OipModels + ServedEndpoint + "/versions/1/infer");

        yield return Oip("metadata of an unknown model", "GET", OipModels + UnknownModel, null, 404);
        yield return Oip("metadata of a version the endpoint does not serve", "GET", OipModels + ServedEndpoint + "/versions/2", null, 404);
        yield return Oip("metadata of version 1 of an unknown model", "GET", OipModels + UnknownModel + "/versions/1", null, 404);
        yield return Oip("readiness of an unknown model", "GET", OipModels + UnknownModel + "/ready", null, 404);
        yield return Oip("readiness of a version the endpoint does not serve", "GET", OipModels + ServedEndpoint + "/versions/2/ready", null, 404);

        // The protocol's clients parse {"error"} from every failed request; the MLflow API answers these with ENDPOINT_NOT_FOUND.
        yield return Oip("unknown route under /v2", "GET", "/v2/no-such-route", null, 404);
        yield return Oip("GET on the POST-only infer", "GET", OipInferTarget, null, 404);
    }

    /// <summary>A binary-extension request: <paramref name="json"/> then <paramref name="binary"/>, with the header length of the JSON unless given.</summary>
    private static BadInputCase OipBinaryInfer(string name, string json, byte[] binary, string? headerLength = null, int status = 400,
        string target = OipInferTarget)
    {
        var header = Utf8(json);
        return Oip("binary infer with " + name, "POST", target, BadInputCase.Bytes([.. header, .. binary], "application/octet-stream"), status,
            new Dictionary<string, string> { [HeaderLengthHeader] = headerLength ?? header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    private static string BinaryHeader(int binaryDataSize, string shape = "[1, 30]") =>
        $$$"""{"inputs": [{"name": "input", "datatype": "FP32", "shape": {{{shape}}}, "parameters": {"binary_data_size": {{{binaryDataSize}}}}}]}""";

    /// <summary><paramref name="count"/> little-endian FP32 values (0.5, 1, 1.5, …), as the extension sends them.</summary>
    private static byte[] Fp32(int count)
    {
        var values = Enumerable.Range(1, count).Select(i => i * 0.5f).ToArray();
        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }
}
