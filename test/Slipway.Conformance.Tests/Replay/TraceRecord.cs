using System.Text.Json.Nodes;

namespace Slipway.Conformance.Tests.Replay;

/// <summary>
/// One recorded HTTP exchange of a conformance trace (one line of an <c>NN-name.jsonl</c> file).
/// Bodies keep the recorded form: parsed JSON, or a base64 string when the matching
/// <c>*_base64</c> flag is set, or <c>null</c> when empty.
/// </summary>
public sealed record TraceRecord
{
    public required int Seq { get; init; }

    public required string Method { get; init; }

    /// <summary>Request path exactly as sent, still percent-encoded.</summary>
    public required string Path { get; init; }

    /// <summary>Raw query string without <c>?</c>; empty if none.</summary>
    public required string Query { get; init; }

    public required IReadOnlyDictionary<string, string> RequestHeaders { get; init; }

    public JsonNode? RequestBody { get; init; }

    public bool RequestBodyBase64 { get; init; }

    /// <summary><c>"chunked"</c> when the client sent the body chunked, otherwise <c>null</c>.</summary>
    public string? RequestTransferEncoding { get; init; }

    public required int Status { get; init; }

    public required IReadOnlyDictionary<string, string> ResponseHeaders { get; init; }

    public JsonNode? ResponseBody { get; init; }

    public bool ResponseBodyBase64 { get; init; }

    public bool IsChunkedRequest => string.Equals(RequestTransferEncoding, "chunked", StringComparison.OrdinalIgnoreCase);

    public string Describe() => Query.Length == 0 ? $"{Method} {Path}" : $"{Method} {Path}?{Query}";

    public static TraceRecord Parse(string line)
    {
        var node = JsonNode.Parse(line) as JsonObject
            ?? throw new FormatException("A trace line must be a JSON object.");
        return new TraceRecord
        {
            Seq = Required(node, "seq").GetValue<int>(),
            Method = Required(node, "method").GetValue<string>(),
            Path = Required(node, "path").GetValue<string>(),
            Query = node["query"]?.GetValue<string>() ?? string.Empty,
            RequestHeaders = ReadHeaders(node["request_headers"]),
            RequestBody = node["request_body"]?.DeepClone(),
            RequestBodyBase64 = node["request_body_base64"]?.GetValue<bool>() ?? false,
            RequestTransferEncoding = node["request_transfer_encoding"]?.GetValue<string>(),
            Status = Required(node, "status").GetValue<int>(),
            ResponseHeaders = ReadHeaders(node["response_headers"]),
            ResponseBody = node["response_body"]?.DeepClone(),
            ResponseBodyBase64 = node["response_body_base64"]?.GetValue<bool>() ?? false,
        };
    }

    private static JsonNode Required(JsonObject node, string name) =>
        node[name] ?? throw new FormatException($"A trace line lacks '{name}'.");

    private static Dictionary<string, string> ReadHeaders(JsonNode? node)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (node is JsonObject obj)
        {
            foreach (var (name, value) in obj)
            {
                if (value is not null)
                    headers[name] = value.GetValue<string>();
            }
        }

        return headers;
    }
}
