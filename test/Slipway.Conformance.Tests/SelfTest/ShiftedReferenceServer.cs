using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Slipway.Conformance.Tests.Replay;

namespace Slipway.Conformance.Tests.SelfTest;

/// <summary>
/// A stand-in for a second reference server that chose other identifiers: experiment ids shifted by
/// one (Default stays "0"), other run ids, another artifact layout (<c>mlflow-artifacts:/store/&lt;exp&gt;/…</c>),
/// other generated run names and page tokens. It answers each exchange with the recorded response
/// translated into its own identifiers (optionally altered), and checks that each request it gets
/// is the recorded request translated the same way, which is what a correct rewriter must send.
/// </summary>
public sealed class ShiftedReferenceServer : HttpMessageHandler
{
    private const string ArtifactRoot = "mlflow-artifacts:/";
    private const string RunsCreatePath = "/api/2.0/mlflow/runs/create";

    private readonly IReadOnlyList<TraceRecord> _records;
    private readonly Func<TraceRecord, ObservedResponse, ObservedResponse>? _alter;
    private readonly Dictionary<string, string> _experiments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _pageTokens = new(StringComparer.Ordinal);
    private readonly List<(Regex Pattern, string Replacement)> _generatedNames = [];
    private int _next;

    public ShiftedReferenceServer(IReadOnlyList<TraceRecord> records, Func<TraceRecord, ObservedResponse, ObservedResponse>? alter = null)
    {
        _records = records;
        _alter = alter;
        foreach (var record in records)
        {
            if (!record.ResponseBodyBase64)
                CollectIdentifiers(record.ResponseBody);
            if (record.Path == RunsCreatePath && record.RequestBody is JsonObject request
                && request["run_name"] is null
                && !(request["tags"] is JsonArray tags && tags.Any(t => t?["key"]?.GetValue<string>() == "mlflow.runName"))
                && record.ResponseBody?["run"]?["info"]?["run_name"]?.GetValue<string>() is { } generated)
            {
                var pattern = new Regex(@"(?<![\p{L}\p{Nd}_-])" + Regex.Escape(generated) + @"(?![\p{L}\p{Nd}_-])");
                _generatedNames.Add((pattern, $"brave-otter-{_generatedNames.Count + 1}"));
            }
        }
    }

    public Uri BaseAddress { get; } = new("http://shifted-reference.invalid/");

    /// <summary>Requests that differ from the translated recorded request (must stay empty).</summary>
    public List<string> RequestProblems { get; } = [];

    public IReadOnlyDictionary<string, string> Experiments => _experiments;

    public IReadOnlyDictionary<string, string> Runs => _runs;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_next >= _records.Count)
        {
            RequestProblems.Add($"unexpected request after the trace ended: {request.Method} {request.RequestUri}");
            return new HttpResponseMessage(HttpStatusCode.InternalServerError);
        }

        var record = _records[_next++];
        await CheckRequestAsync(record, request, cancellationToken);

        var observed = TranslateResponse(record);
        if (_alter is not null)
            observed = _alter(record, observed);

        var content = new ByteArrayContent(observed.Body);
        var response = new HttpResponseMessage((HttpStatusCode)observed.Status) { Content = content, RequestMessage = request };
        foreach (var (name, value) in observed.Headers)
        {
            if (!content.Headers.TryAddWithoutValidation(name, value))
                response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    public ObservedResponse TranslateResponse(TraceRecord record)
    {
        var observed = ObservedResponse.FromRecord(record);
        return record.ResponseBody is null || record.ResponseBodyBase64
            ? observed
            : observed.WithJsonBody(TranslateJson(record.ResponseBody, parentKey: null)!);
    }

    private async Task CheckRequestAsync(TraceRecord record, HttpRequestMessage request, CancellationToken ct)
    {
        var where = $"seq {record.Seq} {record.Method} {record.Path}";
        if (!string.Equals(request.Method.Method, record.Method, StringComparison.Ordinal))
            RequestProblems.Add($"{where}: method {request.Method}");

        var isListing = record.Path == RequestRewriter.ArtifactsPath;
        var expectedPath = TranslatePath(record.Path);
        var actualPath = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath);
        if (!string.Equals(expectedPath, actualPath, StringComparison.Ordinal))
            RequestProblems.Add($"{where}: path {actualPath}, expected {expectedPath}");

        var expectedQuery = DecodeQuery(record.Query).Select(p => (p.Name, Value: isListing && p.Name == "path" ? TranslateArtifactPath(p.Value) : Translate(p.Value, p.Name)));
        var actualQuery = DecodeQuery(request.RequestUri.Query.TrimStart('?'));
        if (!expectedQuery.SequenceEqual(actualQuery))
            RequestProblems.Add($"{where}: query {request.RequestUri.Query}, expected {string.Join('&', expectedQuery)}");

        // Before reading the body: a buffered content reports its length.
        var chunked = request.Headers.TransferEncodingChunked == true && request.Content is not null && request.Content.Headers.ContentLength is null;
        if (chunked != record.IsChunkedRequest)
            RequestProblems.Add($"{where}: chunked={chunked}, expected {record.IsChunkedRequest}");

        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(ct);
        if (record.RequestBody is null)
        {
            if (body.Length != 0)
                RequestProblems.Add($"{where}: {body.Length} body bytes, expected none");
        }
        else if (record.RequestBodyBase64)
        {
            if (!Convert.FromBase64String(record.RequestBody.GetValue<string>()).AsSpan().SequenceEqual(body))
                RequestProblems.Add($"{where}: body bytes differ");
        }
        else
        {
            var expected = TranslateJson(record.RequestBody, parentKey: null);
            var actual = JsonNode.Parse(body);
            if (!JsonNode.DeepEquals(expected, actual))
                RequestProblems.Add($"{where}: body {actual?.ToJsonString()}, expected {expected?.ToJsonString()}");
        }

        record.RequestHeaders.TryGetValue("Content-Type", out var contentType);
        string? actualContentType = null;
        if (request.Content?.Headers.NonValidated.TryGetValues("Content-Type", out var values) == true)
            actualContentType = string.Join(", ", values);
        if (!string.Equals(contentType, actualContentType, StringComparison.Ordinal))
            RequestProblems.Add($"{where}: Content-Type {actualContentType}, expected {contentType}");

    }

    private void CollectIdentifiers(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
                    if (text is not null && key == "experiment_id" && !_experiments.ContainsKey(text))
                        _experiments[text] = text == "0" ? "0" : (long.Parse(text, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    else if (text is not null && key is "run_id" or "run_uuid" && !_runs.ContainsKey(text))
                        _runs[text] = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("shifted:" + text)));
                    else if (text is not null && key == "next_page_token")
                        _pageTokens[text] = "shifted-" + text;
                    else
                        CollectIdentifiers(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                    CollectIdentifiers(item);
                break;
        }
    }

    private JsonNode? TranslateJson(JsonNode? node, string? parentKey)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, value) in obj)
                    result[key] = TranslateJson(value, key);
                return result;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => TranslateJson(item, parentKey))]);
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return JsonValue.Create(Translate(value.GetValue<string>(), parentKey));
            default:
                return node?.DeepClone();
        }
    }

    private string Translate(string text, string? key)
    {
        if (key is "experiment_id" or "experiment_ids" && _experiments.TryGetValue(text, out var experiment))
            return experiment;
        if (key is "next_page_token" or "page_token" && _pageTokens.TryGetValue(text, out var token))
            return token;
        if (text.StartsWith(ArtifactRoot, StringComparison.Ordinal))
        {
            var rest = text[ArtifactRoot.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var first = slash < 0 ? rest : rest[..slash];
            if (_experiments.TryGetValue(first, out var shifted))
                text = ArtifactRoot + "store/" + shifted + (slash < 0 ? string.Empty : rest[slash..]);
        }

        foreach (var (recorded, replacement) in _runs)
            text = text.Replace(recorded, replacement, StringComparison.Ordinal);
        foreach (var (pattern, replacement) in _generatedNames)
            text = pattern.Replace(text, replacement);
        return text;
    }

    private string TranslateArtifactPath(string rel)
    {
        var uri = Translate(ArtifactRoot + rel, key: null);
        return uri[ArtifactRoot.Length..];
    }

    private string TranslatePath(string path)
    {
        var decoded = Uri.UnescapeDataString(path);
        const string prefix = RequestRewriter.ArtifactsPath + "/";
        return decoded.StartsWith(prefix, StringComparison.Ordinal) ? prefix + TranslateArtifactPath(decoded[prefix.Length..]) : decoded;
    }

    private static List<(string Name, string Value)> DecodeQuery(string query) =>
        query.Length == 0
            ? []
            : [.. query.Split('&').Select(part =>
            {
                var eq = part.IndexOf('=', StringComparison.Ordinal);
                return eq < 0
                    ? (RequestRewriter.FormDecode(part), string.Empty)
                    : (RequestRewriter.FormDecode(part[..eq]), RequestRewriter.FormDecode(part[(eq + 1)..]));
            })];
}
