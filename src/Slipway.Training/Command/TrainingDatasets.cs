using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Slipway.Client;
using Slipway.Monitoring.Data;

namespace Slipway.Training.Command;

/// <summary>
/// The dataset inputs a training run logs, in MLflow's shapes: a JSON source <c>{"uri": …}</c>, an
/// <c>mlflow_colspec</c> schema and a <c>num_rows</c>/<c>num_elements</c> profile. The reference sample comes first
/// because the monitors' reference loader picks the <c>reference</c> context before <c>training</c>.
/// </summary>
internal static class TrainingDatasets
{
    public const string ContextTag = "mlflow.data.context";

    public static List<DatasetInput> Inputs(TrainCommandRequest request, string runId, string referencePath)
    {
        var schema = Schema(request.Data);
        var inputs = new List<DatasetInput>
        {
            Input("reference", FileDigest(referencePath), Source($"runs:/{runId}/{TrainCommandCore.ReferenceArtifactPath}/{TrainCommandCore.ReferenceFileName}"), "reference", schema, request.Data),
        };
        if (request.DataSource is { } source)
        {
            // The server requires a digest; a source that is not a local file (a URI the caller resolved) is
            // identified by what was read from it: its name, shape and column names.
            var digest = File.Exists(source) ? FileDigest(source) : TextDigest($"{source}|{request.Data.RowCount}|{string.Join(",", request.Data.Columns.Select(c => c.Name))}");
            var name = Path.GetFileNameWithoutExtension(source);
            var location = File.Exists(source) ? Path.GetFullPath(source) : source;
            inputs.Add(Input(string.IsNullOrEmpty(name) ? "training" : name, digest, Source(location), "training", schema, request.Data));
        }
        return inputs;
    }

    private static DatasetInput Input(string name, string digest, string source, string context, string schema, DataFrame data) => new()
    {
        Tags = [new Tag(ContextTag, context)],
        Dataset = new Dataset
        {
            Name = name,
            Digest = digest,
            SourceType = "local",
            Source = source,
            Schema = schema,
            Profile = JsonSerializer.Serialize(new Dictionary<string, long>
            {
                ["num_rows"] = data.RowCount,
                ["num_elements"] = (long)data.RowCount * data.Columns.Count,
            }),
        },
    };

    private static string Source(string uri) => JsonSerializer.Serialize(new Dictionary<string, string> { ["uri"] = uri });

    private static string Schema(DataFrame data)
    {
        var columns = data.Columns.Select(c => new Dictionary<string, string>
        {
            ["name"] = c.Name,
            ["type"] = c.Dtype switch
            {
                ColumnDtype.Int64 => "long",
                ColumnDtype.Float64 => "double",
                ColumnDtype.Bool or ColumnDtype.NullableBool => "boolean",
                _ => "string",
            },
        });
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["mlflow_colspec"] = columns });
    }

    /// <summary>MLflow keeps short digests (at most 36 characters); the first 16 hex digits of SHA-256 identify content well enough.</summary>
    private static string FileDigest(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
    }

    private static string TextDigest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
