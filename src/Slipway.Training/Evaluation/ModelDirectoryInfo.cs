using Slipway.Core.Errors;
using Slipway.Training.Packaging;

namespace Slipway.Training.Evaluation;

/// <summary>
/// What an evaluation needs from an MLflow model directory written by <see cref="MlNetModelDirectory"/>: the ML.NET
/// zip (<c>flavors.mlnet.data</c>) and the source run (<c>run_id</c>), whose params say the task and label.
/// </summary>
public sealed record ModelDirectoryInfo(string ModelFile, string? RunId)
{
    /// <exception cref="SlipwayException">INVALID_PARAMETER_VALUE when the folder holds no ML.NET model.</exception>
    public static ModelDirectoryInfo Read(string directory)
    {
        var mlmodel = Path.Combine(directory, MlNetModelDirectory.MlmodelFileName);
        string? runId = null;
        string? data = null;
        if (File.Exists(mlmodel))
            (runId, data) = Parse(File.ReadAllLines(mlmodel));
        var modelFile = Path.Combine(directory, data ?? MlNetModelDirectory.ModelFileName);
        if (!File.Exists(modelFile))
        {
            throw SlipwayException.InvalidParameter(
                $"The model has no ML.NET file '{Path.GetFileName(modelFile)}'; only models logged with the mlnet flavor (slipway train) can be evaluated.");
        }
        return new ModelDirectoryInfo(modelFile, runId);
    }

    // The MLmodel files we read are the ones MlNetModelDirectory writes: a top-level run_id and a two-level
    // flavors.mlnet.data. A line scan reads them without a YAML dependency in this library.
    private static (string? RunId, string? Data) Parse(string[] lines)
    {
        string? runId = null, data = null;
        var inMlnet = false;
        foreach (var raw in lines)
        {
            var indent = raw.Length - raw.TrimStart().Length;
            var line = raw.Trim();
            if (indent == 0)
            {
                inMlnet = false;
                if (line.StartsWith("run_id:", StringComparison.Ordinal))
                    runId = Value(line);
            }
            else if (indent == 2)
            {
                inMlnet = line == "mlnet:";
            }
            else if (inMlnet && line.StartsWith("data:", StringComparison.Ordinal))
            {
                data = Value(line);
            }
        }
        return (runId, data);
    }

    private static string? Value(string line)
    {
        var value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Trim('\'', '"');
        return value.Length == 0 ? null : value;
    }
}
