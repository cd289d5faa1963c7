using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Slipway.Training.Onnx;

namespace Slipway.Training.Packaging;

/// <summary>
/// Writes an exported model as an MLflow model directory with the <c>onnx</c> flavor, as <c>mlflow.onnx.save_model</c>
/// lays it out: <c>model.onnx</c> and an <c>MLmodel</c> whose <c>flavors.onnx.data</c> names it and whose
/// <c>signature</c> lists the graph's inputs and outputs as MLflow tensor specs (numpy dtypes, -1 for the batch),
/// which the server's ONNX loader checks against the graph.
/// </summary>
public static class OnnxModelDirectory
{
    public const string ModelFileName = "model.onnx";
    public const string MlmodelFileName = "MLmodel";

    /// <summary>Creates <paramref name="directory"/> if needed and writes both files; returns the directory.</summary>
    public static string Write(OnnxExport export, string directory, string? runId = null, string artifactPath = "onnx")
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, ModelFileName), export.Model);
        File.WriteAllText(Path.Combine(directory, MlmodelFileName), Mlmodel(export, runId, artifactPath), new UTF8Encoding(false));
        return directory;
    }

    private static string Mlmodel(OnnxExport export, string? runId, string artifactPath)
    {
        var ortVersion = typeof(InferenceSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0] ?? "unknown";
        var text = new StringBuilder()
            .Append("artifact_path: ").AppendLine(artifactPath)
            .AppendLine("flavors:")
            .AppendLine("  onnx:")
            .Append("    data: ").AppendLine(ModelFileName)
            .AppendLine("    providers:")
            .AppendLine("    - CPUExecutionProvider")
            .Append("    onnx_runtime_version: ").AppendLine(ortVersion)
            .Append("model_uuid: ").AppendLine(Guid.NewGuid().ToString("N"));
        if (runId is not null)
            text.Append("run_id: ").AppendLine(runId);
        // The JSON lists are written as single-quoted YAML scalars, as MLflow writes them. The serializer escapes
        // quotes in names (\u0027), and doubling keeps the scalar valid should a single quote ever get through.
        text.AppendLine("signature:")
            .Append("  inputs: ").AppendLine(Quoted(TensorSpecs(export.Inputs)))
            .Append("  outputs: ").AppendLine(Quoted(TensorSpecs(export.Outputs)))
            .Append("utc_time_created: '")
            .Append(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture))
            .AppendLine("'");
        return text.ToString();
    }

    private static string TensorSpecs(IReadOnlyList<OnnxTensorInfo> tensors) => JsonSerializer.Serialize(tensors.Select(t => new Dictionary<string, object>
    {
        ["name"] = t.Name,
        ["type"] = "tensor",
        ["tensor-spec"] = new Dictionary<string, object> { ["dtype"] = t.Dtype, ["shape"] = t.Shape },
    }));

    private static string Quoted(string json) => "'" + json.Replace("'", "''", StringComparison.Ordinal) + "'";
}
