using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Slipway.Training.Tabular;

namespace Slipway.Training.Packaging;

/// <summary>
/// Writes a trained model as an MLflow model directory: <c>model.zip</c> (ML.NET) and an <c>MLmodel</c> file with
/// Slipway's <c>mlnet</c> flavor, which the server's ML.NET loader resolves through <c>flavors.mlnet.data</c>. The
/// column-based signature is MLflow's own format, so MLflow tooling and the UI show the model's inputs.
/// </summary>
public static class MlNetModelDirectory
{
    public const string ModelFileName = "model.zip";
    public const string MlmodelFileName = "MLmodel";

    /// <summary>Creates <paramref name="directory"/> if needed and writes both files; returns the directory.</summary>
    public static string Write(TrainingResult result, string directory, string? runId = null, string artifactPath = "model")
    {
        Directory.CreateDirectory(directory);
        result.Save(Path.Combine(directory, ModelFileName));
        File.WriteAllText(Path.Combine(directory, MlmodelFileName), Mlmodel(result.InputSchema, runId, artifactPath), new UTF8Encoding(false));
        return directory;
    }

    private static string Mlmodel(DataViewSchema inputSchema, string? runId, string artifactPath)
    {
        // ML.NET's assembly version is fixed at 1.0.0.0; the informational version carries the package version.
        var informational = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var mlnetVersion = informational.Split('+')[0];
        var text = new StringBuilder()
            .Append("artifact_path: ").AppendLine(artifactPath)
            .AppendLine("flavors:")
            .AppendLine("  mlnet:")
            .Append("    data: ").AppendLine(ModelFileName)
            .Append("    mlnet_version: ").AppendLine(mlnetVersion)
            .Append("model_uuid: ").AppendLine(Guid.NewGuid().ToString("N"));
        if (runId is not null)
            text.Append("run_id: ").AppendLine(runId);
        // JSON strings are valid YAML scalars once quoted; JsonSerializer escapes any quote or control character in a name.
        text.AppendLine("signature:")
            .Append("  inputs: ").AppendLine(JsonSerializer.Serialize(ColumnSpecs(inputSchema)))
            .Append("utc_time_created: '")
            .Append(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture))
            .AppendLine("'");
        return text.ToString();
    }

    private static string ColumnSpecs(DataViewSchema schema)
    {
        var specs = schema.Select(c => new Dictionary<string, object>
        {
            ["type"] = c.Type is TextDataViewType ? "string" : c.Type is BooleanDataViewType ? "boolean" : "float",
            ["name"] = c.Name,
            ["required"] = true,
        });
        return JsonSerializer.Serialize(specs);
    }
}
