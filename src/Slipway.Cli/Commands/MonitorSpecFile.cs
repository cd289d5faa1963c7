using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Client;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Cli.Commands;

/// <summary>
/// Reads <c>slipway monitors create|update --file</c>: one monitor spec in its REST JSON form, or the same structure in
/// YAML (<c>.yaml</c>/<c>.yml</c>). The answer of <c>slipway monitors get NAME --json</c> is accepted too: its
/// <c>spec</c> is used and the server's timestamps are ignored.
/// </summary>
internal static class MonitorSpecFile
{
    /// <param name="path">The file.</param>
    /// <param name="name">The NAME argument: fills in a spec without a name, and must agree with one that has a name.</param>
    public static (MonitorSpec? Spec, string? Problem) Read(string path, string? name)
    {
        JsonObject spec;
        try
        {
            var text = File.ReadAllText(path);
            var root = IsYaml(path) ? FromYaml(text) : JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (root is not JsonObject rootObject)
                return (null, $"{path}: the monitor spec must be an object.");
            spec = rootObject["spec"] is JsonObject wrapped ? wrapped : rootObject;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"{path} cannot be read: {e.Message}");
        }
        catch (Exception e) when (e is JsonException or YamlException or InvalidOperationException)
        {
            return (null, $"{path} is not valid {(IsYaml(path) ? "YAML" : "JSON")}: {e.Message}");
        }

        var fileName = spec["name"] is JsonValue value && value.TryGetValue<string>(out var named) ? named : null;
        if (!string.IsNullOrEmpty(name))
        {
            if (fileName is not null && fileName != name)
                return (null, $"{path} names monitor '{fileName}' but the command names '{name}'.");
            spec["name"] = name;
        }
        try
        {
            return (MonitorSpec.FromJson(spec.ToJsonString()), null);
        }
        catch (JsonException e)
        {
            return (null, $"{path} is not a monitor spec: {e.Message}");
        }
    }

    private static bool IsYaml(string path) => Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml";

    private static JsonNode? FromYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode);
    }

    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var result = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var field = key is YamlScalarNode { Value: { } keyText } ? keyText : throw new InvalidOperationException($"Keys must be plain names (line {key.Start.Line}).");
                    result[field] = ToJson(value);
                }
                return result;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                    array.Add(ToJson(item));
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new InvalidOperationException($"Unsupported YAML node at line {node.Start.Line}.");
        }
    }

    /// <summary>
    /// Scalars stay strings except null and booleans: the spec's own types decide the rest (the client reads numbers
    /// written as strings), so <c>positive_label: 1</c> stays the string it is and <c>threshold: 0.1</c> is a number.
    /// </summary>
    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
            return JsonValue.Create(value);
        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ => JsonValue.Create(value),
        };
    }
}
