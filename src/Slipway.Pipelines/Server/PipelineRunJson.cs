using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Server;

/// <summary>A step of a stored run, as written to <c>pipeline_runs.steps</c> and returned by the API.</summary>
public sealed record StoredStepState
{
    public required string StepId { get; init; }
    public string Uses { get; init; } = "";
    /// <summary>pending, running, succeeded, cached, failed, timedout, skipped or cancelled.</summary>
    public string Status { get; init; } = "pending";
    public int Attempts { get; init; }
    public string? Error { get; init; }
    public Dictionary<string, string> Outputs { get; init; } = [];
    /// <summary>Unix ms.</summary>
    public long? StartTime { get; init; }
    public long? EndTime { get; init; }
    /// <summary>The step's MLflow child run, once recorded.</summary>
    public string? RunId { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<StoredStepState>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(PipelineTrigger))]
internal sealed partial class PipelineStoreJsonContext : JsonSerializerContext;

/// <summary>The JSON columns of <c>pipeline_runs</c> and the step cache, owned by this module.</summary>
public static class PipelineRunJson
{
    public static string Steps(IReadOnlyList<StoredStepState> steps) =>
        JsonSerializer.Serialize(steps.ToList(), PipelineStoreJsonContext.Default.ListStoredStepState);

    public static List<StoredStepState> Steps(string json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, PipelineStoreJsonContext.Default.ListStoredStepState) ?? [];

    public static string Map(IReadOnlyDictionary<string, string> values) =>
        JsonSerializer.Serialize(new Dictionary<string, string>(values, StringComparer.Ordinal), PipelineStoreJsonContext.Default.DictionaryStringString);

    public static Dictionary<string, string> Map(string json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, PipelineStoreJsonContext.Default.DictionaryStringString) ?? [];

    public static string Trigger(PipelineTrigger trigger) => JsonSerializer.Serialize(trigger, PipelineStoreJsonContext.Default.PipelineTrigger);

    public static PipelineTrigger Trigger(string json) =>
        string.IsNullOrEmpty(json) ? PipelineTrigger.ManualRun : JsonSerializer.Deserialize(json, PipelineStoreJsonContext.Default.PipelineTrigger) ?? PipelineTrigger.ManualRun;

    /// <summary>Every step pending, in file order: a queued run's initial state.</summary>
    public static List<StoredStepState> Pending(PipelineDefinition definition) =>
        definition.Steps.Select(s => new StoredStepState { StepId = s.Id, Uses = s.Uses }).ToList();

    public static StoredStepState FromState(StoredStepState previous, StepRunState state, string? runId) => previous with
    {
        Status = state.Status.ToString().ToLowerInvariant(),
        Attempts = state.Attempts,
        Error = state.Error,
        Outputs = new Dictionary<string, string>(state.Outputs, StringComparer.Ordinal),
        StartTime = state.StartedAt?.ToUnixTimeMilliseconds(),
        EndTime = state.FinishedAt?.ToUnixTimeMilliseconds(),
        RunId = runId,
    };
}
