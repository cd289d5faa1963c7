using System.Text.Json;

namespace Slipway.Pipelines.Executors.Kubernetes;

/// <summary>
/// Reads the outputs of a <c>uses: train</c> step from its pod log: <c>slipway train --json</c> ends
/// its stdout with an indented JSON object (<c>run_id</c>, <c>model_uri</c>, …), while progress goes to
/// stderr as single lines, so the object is the last block that opens with a lone <c>{</c>. The
/// outputs are named as the in-process train executor names them.
/// </summary>
internal static class TrainOutcome
{
    public static IReadOnlyDictionary<string, string> Parse(IReadOnlyList<string> lines, string? task)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            if (lines[i].TrimEnd() == "{")
            {
                start = i;
                break;
            }
        }
        if (start < 0)
            return outputs;
        try
        {
            using var document = JsonDocument.Parse(string.Join('\n', lines.Skip(start)));
            var root = document.RootElement;
            outputs["run_id"] = Text(root, "run_id");
            outputs["model_uri"] = Text(root, "model_uri");
            // Empty when the run logged no verified ONNX copy, as in the in-process executor.
            outputs["onnx_uri"] = Text(root, "onnx_uri");
            outputs["model_name"] = Text(root, "registered_model");
            outputs["version"] = Text(root, "version");
            var metric = DefaultMetric(task);
            outputs["metric"] = metric;
            outputs["value"] = root.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Object &&
                metrics.TryGetProperty(metric, out var value) && value.ValueKind == JsonValueKind.Number
                    ? value.GetRawText()
                    : "";
        }
        catch (JsonException)
        {
            // Not the outcome (a log line that happened to be "{"): the step simply has no such outputs.
        }
        return outputs;
    }

    /// <summary>The metric a task is judged by, as Slipway.Training defines it.</summary>
    private static string DefaultMetric(string? task) => task?.Trim().ToLowerInvariant() switch
    {
        "binary" => "auc",
        "multiclass" => "accuracy",
        _ => "rmse",
    };

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => "",
        } : "";
}
