using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Slipway.Core.Errors;
using Slipway.Serving.Endpoints;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Serving.DataPlane;

/// <summary>
/// Reads an endpoints file for <c>slipway serve --file</c>: a list of endpoint specs in the JSON shape of the REST API
/// (<see cref="EndpointSpecJson"/>), either the list itself or an object with an <c>endpoints</c> list — so the answer
/// of <c>GET /api/slipway/v1/endpoints</c> saved to a file is a valid endpoints file. <c>.yaml</c>/<c>.yml</c> files
/// hold the same structure in YAML. Every spec is checked as the control plane checks it; the problems of the whole
/// file are reported together.
/// </summary>
public static class EndpointFile
{
    public static bool IsSupported(string path) => IsYaml(path) || Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The specs in <paramref name="text"/>; INVALID_PARAMETER_VALUE listing every problem when any spec is invalid.</summary>
    public static IReadOnlyList<EndpointSpec> Parse(string text, string path, IModelSource models)
    {
        using var document = Load(text, path);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Null)
            return []; // an empty YAML file
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("endpoints", out var endpoints))
            root = endpoints;
        if (root.ValueKind != JsonValueKind.Array)
            throw SlipwayException.InvalidParameter($"{path}: expected a list of endpoint specs, or an object with an 'endpoints' list.");

        var specs = new List<EndpointSpec>();
        var problems = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var where = $"endpoints[{index++}]";
            try
            {
                var spec = EndpointSpecJson.Read(item, null);
                where += $" ('{spec.Name}')";
                EndpointValidator.Validate(spec, models);
                if (names.Add(spec.Name))
                    specs.Add(spec);
                else
                    problems.Add($"{where}: the name is used by an earlier endpoint.");
            }
            catch (SlipwayException e)
            {
                problems.Add($"{where}: {e.Message}");
            }
        }
        if (problems.Count > 0)
            throw SlipwayException.InvalidParameter($"{path} is not a valid endpoints file:\n  " + string.Join("\n  ", problems));
        return specs;
    }

    private static bool IsYaml(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml";

    private static JsonDocument Load(string text, string path)
    {
        try
        {
            if (!IsYaml(path))
                return JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                if (stream.Documents.Count == 0)
                    writer.WriteNullValue();
                else
                    WriteYaml(writer, stream.Documents[0].RootNode);
            }
            return JsonDocument.Parse(buffer.WrittenMemory);
        }
        catch (Exception e) when (e is JsonException or YamlException or InvalidOperationException)
        {
            throw SlipwayException.InvalidParameter($"{path} cannot be read: {e.Message}");
        }
    }

    /// <summary>YAML as the JSON it stands for: unquoted scalars that read as null, booleans or numbers become those.</summary>
    private static void WriteYaml(Utf8JsonWriter w, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                w.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    w.WritePropertyName(key is YamlScalarNode { Value: { } name } ? name
                        : throw new InvalidOperationException($"Keys must be plain names (line {key.Start.Line})."));
                    WriteYaml(w, value);
                }
                w.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                w.WriteStartArray();
                foreach (var item in sequence.Children)
                    WriteYaml(w, item);
                w.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(w, scalar);
                break;
            default:
                throw new InvalidOperationException($"Unsupported YAML node at line {node.Start.Line}.");
        }
    }

    private static void WriteScalar(Utf8JsonWriter w, YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            w.WriteStringValue(value);
            return;
        }
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                w.WriteNullValue();
                return;
            case "true" or "True" or "TRUE":
                w.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                w.WriteBooleanValue(false);
                return;
        }
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            w.WriteNumberValue(integer);
        else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            w.WriteNumberValue(number);
        else
            w.WriteStringValue(value);
    }
}
