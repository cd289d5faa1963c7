using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Web.Components.Runs;

/// <summary>One column or tensor of a model signature: its name (may be empty) and type, e.g. <c>double</c> or <c>float32 [-1, 4]</c>.</summary>
public sealed record SignatureField(string Name, string Type);

/// <summary>One flavor of an MLflow model and its settings (loader module, data file, versions).</summary>
public sealed record ModelFlavor(string Name, IReadOnlyList<KeyValuePair<string, string>> Settings);

/// <summary>
/// What the preview shows of an MLflow model folder, read from its <c>MLmodel</c> YAML: the flavors, the signature's
/// inputs and outputs (JSON strings inside the YAML), and when it was created.
/// </summary>
public sealed record MlModelInfo(IReadOnlyList<ModelFlavor> Flavors, IReadOnlyList<SignatureField>? Inputs,
    IReadOnlyList<SignatureField>? Outputs, string? Created, string? ModelUuid)
{
    /// <summary>The summary, or null with <paramref name="problem"/> set when the file is not a readable MLmodel.</summary>
    public static MlModelInfo? TryParse(string yaml, out string? problem)
    {
        problem = null;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException exception)
        {
            problem = "MLmodel is not valid YAML: " + exception.Message;
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problem = "MLmodel is not a YAML mapping.";
            return null;
        }
        var flavors = new List<ModelFlavor>();
        if (Child(root, "flavors") is YamlMappingNode flavorNodes)
        {
            // Only scalar keys and values: ToString() on a mapping or sequence node expands YAML aliases, and a file
            // of nested aliases ("billion laughs") would expand into gigabytes.
            foreach (var (name, value) in flavorNodes.Children)
            {
                if (name is not YamlScalarNode { Value: { } flavorName })
                    continue;
                var settings = value is YamlMappingNode map
                    ? map.Children
                        .Where(c => c.Key is YamlScalarNode { Value: not null } && c.Value is YamlScalarNode)
                        .Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ((YamlScalarNode)c.Value).Value ?? "")).ToList()
                    : [];
                flavors.Add(new ModelFlavor(flavorName, settings));
            }
        }
        var signature = Child(root, "signature") as YamlMappingNode;
        return new MlModelInfo(flavors,
            signature is null ? null : Fields(Scalar(signature, "inputs")),
            signature is null ? null : Fields(Scalar(signature, "outputs")),
            Scalar(root, "utc_time_created"), Scalar(root, "model_uuid"));
    }

    /// <summary>A signature side: a JSON array of column specs (<c>{"name","type"}</c>) or tensor specs (<c>{"type":"tensor","tensor-spec":{…}}</c>).</summary>
    private static List<SignatureField>? Fields(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                return null;
            var fields = new List<SignatureField>();
            foreach (var spec in document.RootElement.EnumerateArray())
            {
                var name = spec.TryGetProperty("name", out var n) ? n.ToString() : "";
                var type = spec.TryGetProperty("type", out var t) ? t.ToString() : "";
                if (spec.TryGetProperty("tensor-spec", out var tensor))
                {
                    var dtype = tensor.TryGetProperty("dtype", out var d) ? d.ToString() : "?";
                    var shape = tensor.TryGetProperty("shape", out var s) && s.ValueKind == JsonValueKind.Array
                        ? "[" + string.Join(", ", s.EnumerateArray().Select(d => d.GetRawText())) + "]"
                        : "";
                    type = $"{dtype} {shape}".Trim();
                }
                fields.Add(new SignatureField(name, type));
            }
            return fields;
        }
        catch (JsonException)
        {
            return [new SignatureField("", json)];
        }
    }

    private static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
}
