using System.Globalization;
using System.Text.Json;
using Slipway.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Monitoring.Reports;

/// <summary>
/// Reads a column mapping from JSON (<c>.json</c>) or YAML (anything else) into a <see cref="ColumnMapping"/>. Both
/// are first turned into the same small tree (maps, lists, scalars as text) so that one reader checks the fields
/// and reports every problem of the file at once.
/// </summary>
public static class ColumnMappingFile
{
    private static readonly string[] Fields =
        ["target", "prediction", "numerical_features", "categorical_features", "id", "datetime", "per_column_method", "per_column_threshold"];

    /// <exception cref="SlipwayException">INVALID_PARAMETER_VALUE when the file cannot be parsed or a field is wrong.</exception>
    public static ColumnMapping Parse(string text, string path)
    {
        var root = Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase) ? ParseJson(text, path) : ParseYaml(text, path);
        if (root is null)
            return new ColumnMapping();
        if (root is not Dictionary<string, object?> fields)
            throw SlipwayException.InvalidParameter($"{path}: expected an object with the fields {string.Join(", ", Fields)}.");

        var problems = new List<string>();
        foreach (var key in fields.Keys.Where(k => !Fields.Contains(k)))
        {
            problems.Add(key is "text_features" or "embeddings"
                ? $"'{key}': text and embedding drift are not implemented by Slipway."
                : $"unknown field '{key}'; the fields are {string.Join(", ", Fields)}.");
        }
        var mapping = new ColumnMapping
        {
            Target = Name(fields, "target", problems),
            Prediction = Names(fields, "prediction", problems, allowSingle: true) ?? [],
            NumericalFeatures = Names(fields, "numerical_features", problems, allowSingle: false),
            CategoricalFeatures = Names(fields, "categorical_features", problems, allowSingle: false),
            Id = Name(fields, "id", problems),
            Datetime = Name(fields, "datetime", problems),
            PerColumnMethod = Map<string>(fields, "per_column_method", problems, (value, _) => value),
            PerColumnThreshold = Map<double>(fields, "per_column_threshold", problems, (value, problem) =>
                double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number : problem(value)),
        };
        if (problems.Count > 0)
            throw SlipwayException.InvalidParameter($"{path} is not a valid column mapping:\n  " + string.Join("\n  ", problems));
        return mapping;
    }

    private static string? Name(Dictionary<string, object?> fields, string key, List<string> problems)
    {
        var value = fields.GetValueOrDefault(key);
        if (value is null or string)
            return (string?)value;
        problems.Add($"'{key}' must be a column name.");
        return null;
    }

    private static IReadOnlyList<string>? Names(Dictionary<string, object?> fields, string key, List<string> problems, bool allowSingle)
    {
        switch (fields.GetValueOrDefault(key))
        {
            case null:
                return null;
            case string single when allowSingle:
                return [single];
            case List<object?> items when items.All(i => i is string):
                return items.Cast<string>().ToList();
            default:
                problems.Add(allowSingle ? $"'{key}' must be a column name or a list of column names." : $"'{key}' must be a list of column names.");
                return null;
        }
    }

    private static Dictionary<string, T> Map<T>(Dictionary<string, object?> fields, string key, List<string> problems, Func<string, Func<string, T>, T> convert)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        var value = fields.GetValueOrDefault(key);
        if (value is null)
            return result;
        if (value is not Dictionary<string, object?> map)
        {
            problems.Add($"'{key}' must map column names to values.");
            return result;
        }
        foreach (var (column, item) in map)
        {
            if (item is string text)
            {
                result[column] = convert(text, bad =>
                {
                    problems.Add($"'{key}.{column}': '{bad}' is not a finite number.");
                    return default!;
                });
            }
            else
            {
                problems.Add($"'{key}.{column}' must be a single value.");
            }
        }
        return result;
    }

    private static object? ParseJson(string text, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return FromJson(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw SlipwayException.InvalidParameter($"{path} is not valid JSON: {e.Message}");
        }
    }

    private static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Null => null,
        _ => element.GetRawText(),
    };

    private static object? ParseYaml(string text, string path)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 0 ? null : FromYaml(stream.Documents[0].RootNode);
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException)
        {
            throw SlipwayException.InvalidParameter($"{path} is not valid YAML: {e.Message}");
        }
    }

    /// <summary>Scalars stay text (a column named <c>1</c> or <c>true</c> is still that column); plain <c>~</c>/<c>null</c> and empty are null.</summary>
    private static object? FromYaml(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(
            c => c.Key is YamlScalarNode { Value: { } key } ? key : throw new InvalidOperationException($"Keys must be plain names (line {c.Key.Start.Line})."),
            c => FromYaml(c.Value), StringComparer.Ordinal),
        YamlSequenceNode list => list.Children.Select(FromYaml).ToList(),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" } => null,
        YamlScalarNode scalar => scalar.Value ?? "",
        _ => throw new InvalidOperationException($"Unsupported YAML node at line {node.Start.Line}."),
    };
}
