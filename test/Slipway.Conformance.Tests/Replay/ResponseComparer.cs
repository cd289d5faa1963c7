using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.Conformance.Tests.Replay;

/// <summary>
/// Compares an observed response with the recorded one under the masking rules of README §3, after
/// learning the identifiers the response reveals (§1). Returns every mismatch, not only the first.
/// </summary>
public sealed class ResponseComparer(IdentifierMaps maps)
{
    private const string RunsCreatePath = "/api/2.0/mlflow/runs/create";

    /// <summary>Readable report text: non-ASCII characters are not escaped.</summary>
    private static readonly JsonSerializerOptions ReportJsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public IReadOnlyList<Mismatch> Compare(TraceRecord record, ObservedResponse observed)
    {
        var mismatches = new List<Mismatch>();
        var expectsJson = record.ResponseBody is not null && !record.ResponseBodyBase64;
        var actualJson = expectsJson ? TryParseJson(observed.Body) : null;

        // Learn the ids of the response before comparing its strings.
        if (expectsJson && actualJson is not null)
        {
            LearnGeneratedRunName(record, actualJson);
            new JsonWalker(maps, record.Path, record.Seq, sink: null).Walk(record.ResponseBody, actualJson, "$", parentKey: null);
        }

        if (record.Status != observed.Status)
        {
            mismatches.Add(new Mismatch(record.Seq, "status", record.Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{observed.Status} {observed.BodyExcerpt()}"));
            return mismatches;
        }

        CompareHeaders(record, observed, mismatches);

        if (record.ResponseBody is null)
        {
            if (observed.Body.Length != 0)
                mismatches.Add(new Mismatch(record.Seq, "body", "<empty>", observed.BodyExcerpt()));
        }
        else if (record.ResponseBodyBase64)
        {
            CompareBytes(record, Convert.FromBase64String(record.ResponseBody.GetValue<string>()), observed, mismatches);
        }
        else if (actualJson is null)
        {
            mismatches.Add(new Mismatch(record.Seq, "body", "a JSON body " + Excerpt(record.ResponseBody), observed.BodyExcerpt()));
        }
        else
        {
            new JsonWalker(maps, record.Path, record.Seq, mismatches).Walk(record.ResponseBody, actualJson, "$", parentKey: null);
        }

        return mismatches;
    }

    /// <summary>
    /// A <c>runs/create</c> whose request had neither <c>run_name</c> nor an <c>mlflow.runName</c> tag:
    /// the server named the run, so its name enters the generated-name map.
    /// </summary>
    private void LearnGeneratedRunName(TraceRecord record, JsonNode actual)
    {
        if (!string.Equals(record.Path, RunsCreatePath, StringComparison.Ordinal) || record.RequestBody is not JsonObject request)
            return;
        if (StringOf(request["run_name"]) is { Length: > 0 })
            return;
        if (request["tags"] is JsonArray tags && tags.Any(t => StringOf(t?["key"]) == "mlflow.runName"))
            return;
        var recorded = StringOf(record.ResponseBody?["run"]?["info"]?["run_name"]);
        var observed = StringOf(actual["run"]?["info"]?["run_name"]);
        if (recorded is { Length: > 0 } && observed is { Length: > 0 })
            maps.LearnGeneratedRunName(recorded, observed);
    }

    private static void CompareHeaders(TraceRecord record, ObservedResponse observed, List<Mismatch> mismatches)
    {
        foreach (var name in ObservedResponse.CheckedHeaders)
        {
            if (!record.ResponseHeaders.TryGetValue(name, out var expected))
                continue;
            var path = "header:" + name;
            if (!observed.Headers.TryGetValue(name, out var actual))
            {
                mismatches.Add(new Mismatch(record.Seq, path, Quote(expected), "<absent>"));
                continue;
            }

            var equal = name == "Content-Type"
                ? string.Equals(MediaType(expected), MediaType(actual), StringComparison.OrdinalIgnoreCase)
                : string.Equals(expected, actual, StringComparison.Ordinal);
            if (!equal)
                mismatches.Add(new Mismatch(record.Seq, path, Quote(expected), Quote(actual)));
        }
    }

    private static string MediaType(string contentType) => contentType.Split(';')[0].Trim();

    private static void CompareBytes(TraceRecord record, byte[] expected, ObservedResponse observed, List<Mismatch> mismatches)
    {
        var actual = observed.Body;
        if (expected.AsSpan().SequenceEqual(actual))
            return;
        var common = Math.Min(expected.Length, actual.Length);
        var offset = expected.AsSpan(0, common).CommonPrefixLength(actual.AsSpan(0, common));
        mismatches.Add(new Mismatch(record.Seq, "body", $"{expected.Length} bytes",
            $"{actual.Length} bytes, first difference at offset {offset}"));
    }

    private static JsonNode? TryParseJson(byte[] body)
    {
        if (body.Length == 0)
            return null;
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static string? StringOf(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    internal static string Quote(string text) => JsonSerializer.Serialize(text, ReportJsonOptions);

    internal static string Excerpt(JsonNode? node, int maxChars = 200)
    {
        if (node is null)
            return "null";
        var text = node.ToJsonString(ReportJsonOptions);
        return text.Length <= maxChars ? text : text[..maxChars] + "…";
    }
}
