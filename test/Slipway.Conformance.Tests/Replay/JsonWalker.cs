using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.Conformance.Tests.Replay;

/// <summary>
/// Walks a recorded JSON body and the observed one side by side. Without a sink it only learns
/// identifiers (first pass); with a sink it reports every mismatch (second pass).
/// </summary>
internal sealed class JsonWalker(IdentifierMaps maps, string endpointPath, int seq, List<Mismatch>? sink)
{
    private const string Absent = "<absent>";

    private bool Learning => sink is null;

    public void Walk(JsonNode? expected, JsonNode? actual, string path, string? parentKey)
    {
        switch (expected)
        {
            case JsonObject expectedObject:
                if (actual is JsonObject actualObject)
                    WalkObject(expectedObject, actualObject, path);
                else
                    Report(path, "an object", Describe(actual));
                break;
            case JsonArray expectedArray:
                if (actual is not JsonArray actualArray)
                {
                    Report(path, "a list", Describe(actual));
                }
                else if (expectedArray.Count != actualArray.Count)
                {
                    Report(path, $"{expectedArray.Count} elements", $"{actualArray.Count} elements {Describe(actual)}");
                }
                else
                {
                    var e = ListOrdering.Arrange(parentKey ?? string.Empty, expectedArray, endpointPath);
                    var a = ListOrdering.Arrange(parentKey ?? string.Empty, actualArray, endpointPath);
                    for (var i = 0; i < e.Count; i++)
                        Walk(e[i], a[i], $"{path}[{i}]", parentKey: null);
                }

                break;
            case JsonValue expectedValue:
                CompareLeaf(expectedValue, actual, path);
                break;
            case null:
                if (actual is not null)
                    Report(path, "null", Describe(actual));
                break;
        }
    }

    private void WalkObject(JsonObject expected, JsonObject actual, string path)
    {
        if (expected.ContainsKey("error_code"))
        {
            CompareErrorBody(expected, actual, path);
            return;
        }

        foreach (var (key, expectedValue) in expected)
        {
            var childPath = path + "." + key;
            if (actual.TryGetPropertyValue(key, out var actualValue))
                WalkField(key, expected, expectedValue, actualValue, childPath);
            else if (!IsEmptyContainer(expectedValue))
                Report(childPath, Describe(expectedValue), Absent);
        }

        foreach (var (key, actualValue) in actual)
        {
            if (!expected.ContainsKey(key) && !IsEmptyContainer(actualValue))
                Report(path + "." + key, Absent, Describe(actualValue));
        }
    }

    /// <summary>Rule 2: <c>error_code</c> equal, <c>message</c> any string, nothing else but an optional <c>details</c>.</summary>
    private void CompareErrorBody(JsonObject expected, JsonObject actual, string path)
    {
        if (actual.TryGetPropertyValue("error_code", out var actualCode))
            Walk(expected["error_code"], actualCode, path + ".error_code", "error_code");
        else
            Report(path + ".error_code", Describe(expected["error_code"]), Absent);

        if (!actual.TryGetPropertyValue("message", out var message))
            Report(path + ".message", "a string", Absent);
        else if (ResponseComparer.StringOf(message) is null)
            Report(path + ".message", "a string", Describe(message));

        foreach (var (key, value) in actual)
        {
            if (key is not ("error_code" or "message" or "details"))
                Report(path + "." + key, Absent, Describe(value));
        }
    }

    /// <summary>Rule 3: fields compared by shape or through a map; everything else structurally.</summary>
    private void WalkField(string key, JsonObject expectedParent, JsonNode? expected, JsonNode? actual, string path)
    {
        var recorded = ResponseComparer.StringOf(expected);
        var observed = ResponseComparer.StringOf(actual);
        switch (key)
        {
            case "creation_time" or "last_update_time" or "creation_timestamp" or "last_updated_timestamp"
                when expected is JsonValue v && v.GetValueKind() == JsonValueKind.Number:
                if (!JsonNumbers.IsNonNegativeInteger(actual))
                    Report(path, "an integer >= 0", Describe(actual));
                return;

            case "experiment_id" or "run_id" or "run_uuid" when recorded is { Length: > 0 }:
                var isExperiment = key == "experiment_id";
                if (Learning)
                {
                    if (observed is { Length: > 0 })
                        _ = isExperiment ? maps.TryLearnExperiment(recorded, observed) : maps.TryLearnRun(recorded, observed);
                    return;
                }

                var mapped = isExperiment ? maps.MapExperiment(recorded) : maps.MapRun(recorded);
                if (mapped is null)
                    Report(path, $"a non-empty id not mapped from another recorded id (recorded \"{recorded}\")", Describe(actual));
                else if (!string.Equals(mapped, observed, StringComparison.Ordinal))
                    Report(path, $"{ResponseComparer.Quote(mapped)} (recorded \"{recorded}\")", Describe(actual));
                return;

            case "next_page_token" when recorded is not null:
                if (Learning)
                {
                    if (observed is { Length: > 0 })
                        maps.LearnPageToken(recorded, observed);
                }
                else if (observed is not { Length: > 0 })
                {
                    Report(path, "a non-empty page token", Describe(actual));
                }

                return;

            case "artifact_uri" or "artifact_location" or "source" or "storage_location"
                when recorded is not null && IdentifierMaps.IsArtifactUri(recorded):
                if (Learning)
                {
                    if (observed is not null)
                        maps.TryLearnArtifactUri(recorded, observed);
                    return;
                }

                if (maps.MapArtifactUri(recorded) is null)
                {
                    Report(path, $"an mlflow-artifacts: URI not already the image of another recorded URI (recorded \"{recorded}\")", Describe(actual));
                    return;
                }

                var substituted = maps.Substitute(recorded);
                if (!string.Equals(substituted, observed, StringComparison.Ordinal))
                    Report(path, $"{ResponseComparer.Quote(substituted)} (recorded \"{recorded}\")", Describe(actual));
                return;

            case "version" when recorded is not null && ResponseComparer.StringOf(expectedParent["name"]) is { } name:
                // Compared as recorded (versions are 1, 2, 3… per model), and mapped so one wrong number does not break later requests.
                if (Learning && observed is not null)
                    maps.TryLearnVersion(name, recorded, observed);
                break;
        }

        Walk(expected, actual, path, key);
    }

    /// <summary>Rule 4: strings after substitution, numbers by value, booleans and null exactly; a type change is a mismatch.</summary>
    private void CompareLeaf(JsonValue expected, JsonNode? actual, string path)
    {
        if (Learning)
            return;
        var kind = expected.GetValueKind();
        var actualKind = actual is JsonValue a ? a.GetValueKind() : actual is null ? JsonValueKind.Null : actual.GetValueKind();
        switch (kind)
        {
            case JsonValueKind.String:
                var want = maps.Substitute(expected.GetValue<string>());
                if (actualKind != JsonValueKind.String || !string.Equals(want, actual!.GetValue<string>(), StringComparison.Ordinal))
                    Report(path, ResponseComparer.Quote(want), Describe(actual));
                break;
            case JsonValueKind.Number:
                if (actualKind != JsonValueKind.Number || !JsonNumbers.ValueEquals(expected, (JsonValue)actual!))
                    Report(path, JsonNumbers.Format(expected), Describe(actual));
                break;
            default:
                if (actualKind != kind)
                    Report(path, Describe(expected), Describe(actual));
                break;
        }
    }

    private static bool IsEmptyContainer(JsonNode? node) => node is JsonArray { Count: 0 } or JsonObject { Count: 0 };

    private static string Describe(JsonNode? node) => ResponseComparer.Excerpt(node);

    private void Report(string path, string expected, string actual) => sink?.Add(new Mismatch(seq, path, expected, actual));
}
