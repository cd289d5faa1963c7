using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.Conformance.Tests.Replay;

/// <summary>
/// The lists whose order the API does not define (README §3, rule 5), and their sort keys. Every
/// other list (notably <c>experiments</c>, <c>runs</c>, <c>registered_models</c> and the
/// <c>model_versions</c> of the search endpoints) is compared in order.
/// </summary>
public static class ListOrdering
{
    private const string GetLatestVersionsPath = "/api/2.0/mlflow/registered-models/get-latest-versions";

    /// <summary>Returns the list sorted for comparison, or the list as it is when its order matters.</summary>
    public static IReadOnlyList<JsonNode?> Arrange(string listKey, JsonArray list, string endpointPath)
    {
        Func<JsonNode?, SortValue[]>? key = listKey switch
        {
            "tags" => e => e is JsonObject ? [Value(e["key"])] : [Value(e)],
            "params" => e => [Value(e?["key"])],
            "metrics" => e => [Value(e?["key"]), Value(e?["step"]), Value(e?["timestamp"]), Value(e?["value"])],
            "aliases" => e => e is JsonObject ? [Value(e["alias"])] : [Value(e)],
            "latest_versions" => e => [Number(e?["version"])],
            "files" => e => [Value(e?["path"])],
            "dataset_inputs" => e => [Value(e?["dataset"]?["name"]), Value(e?["dataset"]?["digest"])],
            "model_versions" when endpointPath.EndsWith(GetLatestVersionsPath, StringComparison.Ordinal) => e => [Number(e?["version"])],
            _ => null,
        };
        if (key is null)
            return [.. list];
        return [.. list.OrderBy(key, SortKeyComparer.Instance)];
    }

    private static SortValue Value(JsonNode? node) => node switch
    {
        null => new SortValue(0, 0, null),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.True => new SortValue(1, 1, null),
            JsonValueKind.False => new SortValue(1, 0, null),
            JsonValueKind.Number => new SortValue(2, JsonNumbers.ToDouble(v), null),
            JsonValueKind.String => new SortValue(3, 0, v.GetValue<string>()),
            _ => new SortValue(0, 0, null),
        },
        _ => new SortValue(4, 0, node.ToJsonString()),
    };

    /// <summary>A version such as <c>"10"</c> sorted as the number 10.</summary>
    private static SortValue Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String
            && double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? new SortValue(2, d, null)
            : Value(node);

    private readonly record struct SortValue(int Rank, double Number, string? Text);

    private sealed class SortKeyComparer : IComparer<SortValue[]>
    {
        public static readonly SortKeyComparer Instance = new();

        public int Compare(SortValue[]? x, SortValue[]? y)
        {
            if (x is null || y is null)
                return (x is null ? 0 : 1) - (y is null ? 0 : 1);
            for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
            {
                var c = x[i].Rank.CompareTo(y[i].Rank);
                if (c == 0)
                    c = x[i].Number.CompareTo(y[i].Number);
                if (c == 0)
                    c = string.CompareOrdinal(x[i].Text, y[i].Text);
                if (c != 0)
                    return c;
            }

            return x.Length.CompareTo(y.Length);
        }
    }
}
