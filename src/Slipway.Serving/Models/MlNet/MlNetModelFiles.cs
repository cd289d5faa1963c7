using Slipway.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Serving.Models.MlNet;

/// <summary>
/// Finds the ML.NET model file: a <c>.zip</c> written by <c>MLContext.Model.Save</c>, a model directory whose
/// <c>MLmodel</c> has Slipway's <c>mlnet</c> flavor (<c>flavors.mlnet.data</c> names the zip), or a directory
/// holding a single <c>.zip</c>.
/// </summary>
internal static class MlNetModelFiles
{
    public const string FlavorName = "mlnet";

    public static string Locate(string localPath)
    {
        if (File.Exists(localPath))
        {
            return Path.GetFileName(localPath) == MlflowModelDirectory.MlmodelFileName
                ? FromMlmodel(Path.GetDirectoryName(Path.GetFullPath(localPath))!)
                : Path.GetFullPath(localPath);
        }

        if (!Directory.Exists(localPath))
            throw SlipwayException.NotFound($"Model path '{localPath}' does not exist.");
        if (File.Exists(Path.Combine(localPath, MlflowModelDirectory.MlmodelFileName)))
            return FromMlmodel(Path.GetFullPath(localPath));

        var candidates = Directory.GetFiles(localPath, "*.zip");
        return candidates.Length switch
        {
            1 => Path.GetFullPath(candidates[0]),
            0 => throw SlipwayException.InvalidParameter($"Model directory '{localPath}' has neither an MLmodel file nor a .zip file."),
            _ => throw SlipwayException.InvalidParameter(
                $"Model directory '{localPath}' has no MLmodel file and several .zip files ({string.Join(", ", candidates.Select(Path.GetFileName).Order(StringComparer.Ordinal))}); name one of them."),
        };
    }

    /// <summary>The flavor names an <c>MLmodel</c> file declares (empty when it has none).</summary>
    public static IReadOnlyList<string> ReadFlavorNames(string directory) =>
        Child(LoadMlmodel(directory), "flavors") is YamlMappingNode flavors
            ? [.. flavors.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "")]
            : [];

    private static string FromMlmodel(string directory)
    {
        var flavors = Child(LoadMlmodel(directory), "flavors") as YamlMappingNode;
        if (flavors is null || Child(flavors, FlavorName) is not YamlMappingNode flavor)
        {
            var names = flavors is null ? "none" : string.Join(", ", flavors.Children.Keys.Select(k => k.ToString()));
            throw SlipwayException.InvalidParameter($"MLflow model '{directory}' has no mlnet flavor (flavors: {names}).");
        }

        var data = (Child(flavor, "data") as YamlScalarNode)?.Value;
        if (string.IsNullOrWhiteSpace(data))
            throw SlipwayException.InvalidParameter($"MLflow model '{directory}': flavors.mlnet.data does not name the model .zip file.");

        // The MLmodel file is user content: a data path outside the model directory would let a model read any file.
        var root = Path.GetFullPath(directory);
        var full = Path.GetFullPath(Path.Combine(root, data));
        if (!full.StartsWith(Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw SlipwayException.InvalidParameter($"MLflow model '{directory}': flavors.mlnet.data '{data}' points outside the model directory.");
        return File.Exists(full)
            ? full
            : throw SlipwayException.InvalidParameter($"MLflow model '{directory}': flavors.mlnet.data names '{data}', which is not in the model directory.");
    }

    private static YamlMappingNode LoadMlmodel(string directory)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(Path.Combine(directory, MlflowModelDirectory.MlmodelFileName));
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw SlipwayException.InvalidParameter($"MLflow model '{directory}': MLmodel is not valid YAML ({e.Message}).");
        }

        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
            ? root
            : throw SlipwayException.InvalidParameter($"MLflow model '{directory}': MLmodel is not a YAML mapping.");
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
}
