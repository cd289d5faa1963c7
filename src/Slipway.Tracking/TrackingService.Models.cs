using System.Text.Json;
using Slipway.Core.Errors;
using Slipway.Tracking.Domain;

namespace Slipway.Tracking;

public sealed partial class TrackingService
{
    /// <summary>
    /// <c>runs/log-model</c>: checks the model description and appends it, as sent, to the run's
    /// <c>mlflow.log-model.history</c> tag (a JSON list), which is where MLflow clients look for logged models.
    /// </summary>
    public async Task LogModelAsync(string runId, string modelJson, CancellationToken ct)
    {
        try
        {
            using var document = JsonDocument.Parse(modelJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw SlipwayException.InvalidParameter("model_json must be a JSON object.");
            foreach (var required in new[] { "artifact_path", "flavors", "utc_time_created", "run_id" })
            {
                if (!root.TryGetProperty(required, out _))
                    throw SlipwayException.InvalidParameter($"Model json is missing mandatory fields: ['{required}']");
            }
        }
        catch (JsonException e)
        {
            throw SlipwayException.InvalidParameter("Malformed model info. \n" + e.Message);
        }
        var run = await GetRunAsync(runId, ct);
        var history = run.Tags.FirstOrDefault(t => t.Key == SystemTags.LogModelHistory).Value;
        // Keep the client's own serialisation of each entry; Python clients compare it byte for byte.
        var updated = string.IsNullOrEmpty(history) || history.Length < 2 || history == "[]"
            ? "[" + modelJson + "]"
            : history[..^1] + ", " + modelJson + "]";
        await store.LogBatchAsync(runId, [], [], [new Tag(SystemTags.LogModelHistory, updated)], ct);
    }
}
