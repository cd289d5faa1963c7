using Slipway.Core.Errors;

namespace Slipway.Serving.Models;

/// <summary>
/// What to load: the ONNX file and, for an MLflow model directory, the signature its <c>MLmodel</c> declares.
/// </summary>
internal sealed record OnnxModelFiles(string OnnxPath, MlflowSignature? Signature)
{
    private const string DefaultOnnxFileName = "model.onnx";

    /// <summary>
    /// Accepts a <c>.onnx</c> file, an MLflow model directory (or its <c>MLmodel</c> file), or a directory holding
    /// one ONNX model without <c>MLmodel</c>.
    /// </summary>
    public static OnnxModelFiles Locate(string localPath)
    {
        if (File.Exists(localPath))
        {
            return Path.GetFileName(localPath) == MlflowModelDirectory.MlmodelFileName
                ? MlflowModelDirectory.Read(Path.GetDirectoryName(Path.GetFullPath(localPath))!)
                : new OnnxModelFiles(Path.GetFullPath(localPath), null);
        }

        if (!Directory.Exists(localPath))
            throw SlipwayException.NotFound($"Model path '{localPath}' does not exist.");
        if (File.Exists(Path.Combine(localPath, MlflowModelDirectory.MlmodelFileName)))
            return MlflowModelDirectory.Read(Path.GetFullPath(localPath));

        var conventional = Path.Combine(localPath, DefaultOnnxFileName);
        if (File.Exists(conventional))
            return new OnnxModelFiles(Path.GetFullPath(conventional), null);
        var candidates = Directory.GetFiles(localPath, "*.onnx");
        return candidates.Length switch
        {
            1 => new OnnxModelFiles(Path.GetFullPath(candidates[0]), null),
            0 => throw SlipwayException.InvalidParameter(
                $"Model directory '{localPath}' has neither an MLmodel file nor an .onnx file."),
            _ => throw SlipwayException.InvalidParameter(
                $"Model directory '{localPath}' has no MLmodel file and several .onnx files ({string.Join(", ", candidates.Select(Path.GetFileName).Order(StringComparer.Ordinal))}); name one of them."),
        };
    }
}
