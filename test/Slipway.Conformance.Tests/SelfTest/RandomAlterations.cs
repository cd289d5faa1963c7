using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Conformance.Tests.Replay;

namespace Slipway.Conformance.Tests.SelfTest;

/// <summary>
/// Random alterations of a recorded response that a correct comparer must report: status, error
/// code, a string or number leaf, two search results swapped, one artifact byte, Content-Disposition.
/// Leaves that the masking rules legitimately accept (ids on first sighting, server timestamps,
/// error messages, page tokens…) are never picked.
/// </summary>
public static class RandomAlterations
{
    private static readonly HashSet<string> MaskedKeys =
    [
        "experiment_id", "run_id", "run_uuid", "next_page_token", "artifact_uri", "artifact_location", "source",
        "storage_location", "creation_time", "last_update_time", "creation_timestamp", "last_updated_timestamp",
        "version", "message",
    ];

    private static readonly HashSet<string> OrderedLists = ["experiments", "runs", "registered_models", "model_versions"];

    public static (string Kind, Func<ObservedResponse, ObservedResponse> Change) Pick(TraceRecord record, Random random)
    {
        var options = new List<(string, Func<ObservedResponse, ObservedResponse>)>
        {
            ("status", r => r with { Status = r.Status + 1 }),
        };

        if (record.ResponseBody is not null && record.ResponseBodyBase64)
        {
            var length = Convert.FromBase64String(record.ResponseBody.GetValue<string>()).Length;
            if (length > 0)
            {
                var offset = random.Next(length);
                options.Add(("byte", r =>
                {
                    var body = r.Body.ToArray();
                    body[offset] ^= 0x20;
                    return r with { Body = body };
                }));
            }
        }

        if (record.ResponseHeaders.TryGetValue("Content-Disposition", out var disposition))
            options.Add(("content-disposition", r => r.WithHeader("Content-Disposition", disposition + "x")));

        if (record.ResponseBody is JsonObject body && !record.ResponseBodyBase64)
        {
            if (body.ContainsKey("error_code"))
            {
                options.Add(("error_code", Json(b => b["error_code"] = b["error_code"]!.GetValue<string>() + "_ALTERED")));
            }
            else
            {
                var leaves = new List<List<object>>();
                CollectLeaves(body, [], parentKey: null, record.Path.EndsWith("/runs/create", StringComparison.Ordinal), leaves);
                if (leaves.Count > 0)
                {
                    var path = leaves[random.Next(leaves.Count)];
                    options.Add(("leaf " + string.Join('.', path), Json(b => AlterLeaf(b, path))));
                }

                var swappable = body.Where(p => OrderedLists.Contains(p.Key) && p.Value is JsonArray { Count: >= 2 } list
                        && list.Select(e => e!.ToJsonString()).Distinct().Count() >= 2)
                    .Select(p => p.Key).ToList();
                if (swappable.Count > 0 && !record.Path.EndsWith("/get-latest-versions", StringComparison.Ordinal))
                {
                    var key = swappable[random.Next(swappable.Count)];
                    var list = body[key]!.AsArray();
                    int i, j;
                    do
                    {
                        i = random.Next(list.Count);
                        j = random.Next(list.Count);
                    }
                    while (list[i]!.ToJsonString() == list[j]!.ToJsonString());
                    options.Add(($"swap {key}[{i}]<->[{j}]", Json(b =>
                    {
                        var l = b[key]!.AsArray();
                        var a = l[i]!.DeepClone();
                        l[i] = l[j]!.DeepClone();
                        l[j] = a;
                    })));
                }
            }
        }

        return options[random.Next(options.Count)];
    }

    private static void CollectLeaves(JsonNode? node, List<object> path, string? parentKey, bool isRunsCreate, List<List<object>> leaves)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (MaskedKeys.Contains(key) || (isRunsCreate && key == "run_name"))
                        continue;
                    CollectLeaves(value, [.. path, key], key, isRunsCreate, leaves);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    CollectLeaves(array[i], [.. path, i], parentKey, isRunsCreate, leaves);
                break;
            case JsonValue value when value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                leaves.Add(path);
                break;
        }
    }

    private static void AlterLeaf(JsonNode root, List<object> path)
    {
        var parent = root;
        for (var i = 0; i < path.Count - 1; i++)
            parent = path[i] is string key ? parent[key]! : parent[(int)path[i]]!;
        var last = path[^1];
        var leaf = (last is string k ? parent[k] : parent[(int)last])!.AsValue();
        JsonNode altered = leaf.GetValueKind() switch
        {
            JsonValueKind.String => JsonValue.Create(leaf.GetValue<string>() + "~")!,
            JsonValueKind.True => JsonValue.Create(false),
            JsonValueKind.False => JsonValue.Create(true),
            _ => AlterNumber(leaf),
        };
        if (last is string name)
            parent[name] = altered;
        else
            parent[(int)last] = altered;
    }

    private static JsonValue AlterNumber(JsonValue leaf)
    {
        var element = leaf.GetValue<JsonElement>();
        if (element.TryGetInt64(out var l))
            return JsonValue.Create(l + 1);
        var d = element.GetDouble();
        return JsonValue.Create(d == 0 ? 1.0 : d / 2);
    }

    private static Func<ObservedResponse, ObservedResponse> Json(Action<JsonNode> mutate) => observed =>
    {
        var body = JsonNode.Parse(observed.Body)!;
        mutate(body);
        return observed.WithJsonBody(body);
    };
}
