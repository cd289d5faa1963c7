using Slipway.Core.Errors;
using Slipway.Serving.Inference;
using Slipway.Serving.Models.MlNet;

namespace Slipway.Serving.Models;

/// <summary>
/// Chooses the runtime from the files: a <c>.onnx</c> file or an MLflow directory with an <c>onnx</c> flavor goes to
/// ONNX Runtime, a <c>.zip</c> file or a directory with the <c>mlnet</c> flavor to ML.NET; a directory without
/// <c>MLmodel</c> by the single model file it holds.
/// </summary>
public sealed class CompositeModelLoader(IModelLoader onnx, IModelLoader mlNet) : IModelLoader
{
    public Task<ILoadedModel> LoadAsync(string localPath, CancellationToken ct) => Choose(localPath).LoadAsync(localPath, ct);

    private IModelLoader Choose(string localPath)
    {
        if (File.Exists(localPath))
        {
            if (Path.GetFileName(localPath) == MlflowModelDirectory.MlmodelFileName)
                return ByFlavor(Path.GetDirectoryName(Path.GetFullPath(localPath))!);
            if (localPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                return onnx;
            if (localPath.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                return mlNet;
            throw SlipwayException.InvalidParameter($"'{Path.GetFileName(localPath)}' is neither an ONNX model (.onnx) nor an ML.NET model (.zip).");
        }

        if (!Directory.Exists(localPath))
            throw SlipwayException.NotFound($"Model path '{localPath}' does not exist.");
        if (File.Exists(Path.Combine(localPath, MlflowModelDirectory.MlmodelFileName)))
            return ByFlavor(localPath);
        if (Directory.EnumerateFiles(localPath, "*.onnx").Any())
            return onnx;
        if (Directory.EnumerateFiles(localPath, "*.zip").Any())
            return mlNet;
        throw SlipwayException.InvalidParameter(
            $"Model directory '{localPath}' is neither an ONNX model nor an ML.NET model (.zip): it has no MLmodel file, no .onnx file and no .zip file.");
    }

    private IModelLoader ByFlavor(string directory)
    {
        var flavors = MlNetModelFiles.ReadFlavorNames(directory);
        if (flavors.Contains("onnx"))
            return onnx;
        if (flavors.Contains(MlNetModelFiles.FlavorName))
            return mlNet;
        throw SlipwayException.InvalidParameter(
            $"MLflow model '{directory}' is neither an ONNX model nor an ML.NET model (.zip): it has no onnx or mlnet flavor (flavors: {(flavors.Count == 0 ? "none" : string.Join(", ", flavors))}).");
    }
}
