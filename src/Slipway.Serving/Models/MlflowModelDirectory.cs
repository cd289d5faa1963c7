using Slipway.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Serving.Models;

/// <summary>
/// Reads an MLflow model directory written by <c>mlflow.onnx.save_model</c>: <c>flavors.onnx.data</c> names the
/// ONNX file (any external-data files sit beside it, and ONNX Runtime finds them relative to that file), and
/// <c>signature</c> holds the inputs and outputs as JSON strings.
/// </summary>
internal static class MlflowModelDirectory
{
    public const string MlmodelFileName = "MLmodel";

    public static OnnxModelFiles Read(string directory)
    {
        var root = LoadMlmodel(directory);
        var flavors = Child(root, "flavors") as YamlMappingNode;
        if (flavors is null || Child(flavors, "onnx") is not YamlMappingNode onnx)
        {
            var names = flavors is null ? "none" : string.Join(", ", flavors.Children.Keys.Select(k => k.ToString()));
            throw SlipwayException.InvalidParameter($"MLflow model '{directory}' has no onnx flavor (flavors: {names}).");
        }

        var data = (Child(onnx, "data") as YamlScalarNode)?.Value;
        if (string.IsNullOrWhiteSpace(data))
            throw SlipwayException.InvalidParameter($"MLflow model '{directory}': flavors.onnx.data does not name the ONNX file.");
        var onnxPath = ResolveInside(directory, data);
        if (!File.Exists(onnxPath))
            throw SlipwayException.InvalidParameter($"MLflow model '{directory}': flavors.onnx.data names '{data}', which is not in the model directory.");

        return new OnnxModelFiles(onnxPath, ReadSignature(root, directory));
    }

    private static YamlMappingNode LoadMlmodel(string directory)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(Path.Combine(directory, MlmodelFileName));
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

    private static MlflowSignature? ReadSignature(YamlMappingNode root, string directory)
    {
        if (Child(root, "signature") is not YamlMappingNode signature)
            return null;
        var inputs = MlflowSignature.ParseTensorSpecs((Child(signature, "inputs") as YamlScalarNode)?.Value, "inputs", directory);
        var outputs = MlflowSignature.ParseTensorSpecs((Child(signature, "outputs") as YamlScalarNode)?.Value, "outputs", directory);
        return inputs is null && outputs is null ? null : new MlflowSignature(inputs, outputs);
    }

    /// <summary>
    /// The MLmodel file is user content: a <c>data</c> path that climbs out of the model directory (<c>../</c>, or an
    /// absolute path) would let an uploaded model make the server read any file, so it is refused.
    /// </summary>
    private static string ResolveInside(string directory, string relative)
    {
        var root = Path.GetFullPath(directory);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        var prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal)
            ? full
            : throw SlipwayException.InvalidParameter($"MLflow model '{directory}': flavors.onnx.data '{relative}' points outside the model directory.");
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
}
