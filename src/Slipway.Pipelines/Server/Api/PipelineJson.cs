using System.Text.Json;
using Slipway.Core.Pipelines;

namespace Slipway.Pipelines.Server.Api;

/// <summary>The JSON shapes of the pipeline API (snake_case, like the rest of the Slipway API).</summary>
internal static class PipelineJson
{
    public static void Write(Utf8JsonWriter w, StoredPipeline pipeline)
    {
        var record = pipeline.Record;
        var definition = pipeline.Definition;
        w.WriteStartObject();
        w.WriteString("name", record.Name);
        w.WriteString("yaml", record.Yaml);
        w.WriteString("definition_hash", record.DefinitionHash);
        w.WriteBoolean("enabled", record.Enabled);
        w.WriteNumber("concurrency", record.Concurrency);
        w.WriteNumber("creation_time", record.CreationTime);
        w.WriteNumber("last_updated_time", record.LastUpdatedTime);
        if (record.NextScheduleTime is { } next)
            w.WriteNumber("next_schedule_time", next);
        if (record.WorkingDirectory is { } workingDirectory)
            w.WriteString("working_directory", workingDirectory);
        w.WriteStartObject("params");
        foreach (var (key, value) in definition.Params)
            w.WriteString(key, value);
        w.WriteEndObject();
        w.WriteStartArray("steps");
        foreach (var step in definition.Steps)
        {
            w.WriteStartObject();
            w.WriteString("id", step.Id);
            w.WriteString("uses", step.Uses);
            w.WriteStartArray("needs");
            foreach (var need in step.Needs)
                w.WriteStringValue(need);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("triggers");
        Strings(w, "schedule", definition.Triggers.Schedules);
        Strings(w, "monitor_alert", definition.Triggers.MonitorAlerts);
        Strings(w, "model_version", definition.Triggers.ModelVersions);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, PipelineRunRecord run)
    {
        w.WriteStartObject();
        w.WriteString("id", run.Id);
        w.WriteString("pipeline", run.Pipeline);
        w.WriteString("status", run.Status);
        w.WritePropertyName("trigger");
        JsonSerializer.Serialize(w, PipelineRunJson.Trigger(run.TriggerDetail), PipelineStoreJsonContext.Default.PipelineTrigger);
        w.WritePropertyName("params");
        JsonSerializer.Serialize(w, PipelineRunJson.Map(run.Params), PipelineStoreJsonContext.Default.DictionaryStringString);
        w.WritePropertyName("steps");
        JsonSerializer.Serialize(w, PipelineRunJson.Steps(run.Steps), PipelineStoreJsonContext.Default.ListStoredStepState);
        if (run.ExperimentId is not null)
            w.WriteString("experiment_id", run.ExperimentId);
        if (run.WorkingDirectory is not null)
            w.WriteString("working_directory", run.WorkingDirectory);
        w.WriteNumber("creation_time", run.CreationTime);
        if (run.StartTime is { } start)
            w.WriteNumber("start_time", start);
        if (run.EndTime is { } end)
            w.WriteNumber("end_time", end);
        if (run.Replica is not null)
            w.WriteString("replica", run.Replica);
        w.WriteBoolean("cancel_requested", run.CancelRequested);
        if (run.Error is not null)
            w.WriteString("error", run.Error);
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
            w.WriteStringValue(value);
        w.WriteEndArray();
    }
}
