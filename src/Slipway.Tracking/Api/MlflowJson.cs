using System.Text.Json;
using Slipway.Artifacts;
using Slipway.Tracking.Domain;

namespace Slipway.Tracking.Api;

/// <summary>
/// Writes domain objects in MLflow's JSON mapping: snake_case proto names, unset fields and empty lists left
/// out, int64 as numbers, NaN as "NaN" and ±Infinity as ±1.7976931348623157e308 (what the reference server sends).
/// </summary>
public static class MlflowJson
{
    public static void WriteExperiment(Utf8JsonWriter w, Experiment e)
    {
        w.WriteStartObject();
        w.WriteString("experiment_id", e.ExperimentId);
        w.WriteString("name", e.Name);
        w.WriteString("artifact_location", e.ArtifactLocation);
        w.WriteString("lifecycle_stage", e.LifecycleStage);
        w.WriteNumber("last_update_time", e.LastUpdateTime);
        w.WriteNumber("creation_time", e.CreationTime);
        WriteTags(w, "tags", e.Tags);
        w.WriteEndObject();
    }

    public static void WriteRunInfo(Utf8JsonWriter w, RunInfo info)
    {
        w.WriteStartObject();
        w.WriteString("run_uuid", info.RunId);
        w.WriteString("experiment_id", info.ExperimentId);
        w.WriteString("run_name", info.RunName);
        w.WriteString("user_id", info.UserId);
        w.WriteString("status", info.Status);
        w.WriteNumber("start_time", info.StartTime);
        if (info.EndTime is { } end)
            w.WriteNumber("end_time", end);
        w.WriteString("artifact_uri", info.ArtifactUri);
        w.WriteString("lifecycle_stage", info.LifecycleStage);
        w.WriteString("run_id", info.RunId);
        w.WriteEndObject();
    }

    public static void WriteRun(Utf8JsonWriter w, Run run)
    {
        w.WriteStartObject();
        w.WritePropertyName("info");
        WriteRunInfo(w, run.Info);
        w.WriteStartObject("data");
        if (run.Metrics.Count > 0)
        {
            w.WriteStartArray("metrics");
            foreach (var metric in run.Metrics)
                WriteMetric(w, metric);
            w.WriteEndArray();
        }
        if (run.Params.Count > 0)
        {
            w.WriteStartArray("params");
            foreach (var p in run.Params)
            {
                w.WriteStartObject();
                w.WriteString("key", p.Key);
                w.WriteString("value", p.Value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        WriteTags(w, "tags", run.Tags);
        w.WriteEndObject();
        w.WriteStartObject("inputs");
        if (run.Inputs.Count > 0)
        {
            w.WriteStartArray("dataset_inputs");
            foreach (var input in run.Inputs)
                WriteDatasetInput(w, input);
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteMetric(Utf8JsonWriter w, Metric metric)
    {
        w.WriteStartObject();
        w.WriteString("key", metric.Key);
        WriteDouble(w, "value", metric.Value);
        w.WriteNumber("timestamp", metric.Timestamp);
        w.WriteNumber("step", metric.Step);
        w.WriteEndObject();
    }

    public static void WriteDouble(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsNaN(value))
            w.WriteString(name, "NaN");
        else if (double.IsPositiveInfinity(value))
            w.WriteNumber(name, double.MaxValue);
        else if (double.IsNegativeInfinity(value))
            w.WriteNumber(name, double.MinValue);
        else
            w.WriteNumber(name, value);
    }

    public static void WriteTags(Utf8JsonWriter w, string name, IReadOnlyList<Tag> tags)
    {
        if (tags.Count == 0)
            return;
        w.WriteStartArray(name);
        foreach (var tag in tags)
        {
            w.WriteStartObject();
            w.WriteString("key", tag.Key);
            w.WriteString("value", tag.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static void WriteFiles(Utf8JsonWriter w, IReadOnlyList<ArtifactEntry> entries, string prefix)
    {
        if (entries.Count == 0)
            return;
        w.WriteStartArray("files");
        foreach (var entry in entries)
        {
            w.WriteStartObject();
            w.WriteString("path", prefix.Length == 0 ? entry.Name : prefix + "/" + entry.Name);
            w.WriteBoolean("is_dir", entry.IsDirectory);
            // MLflow leaves file_size out for an empty file (proto3 default), and for folders.
            if (entry.Size is > 0)
                w.WriteNumber("file_size", entry.Size.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteDatasetInput(Utf8JsonWriter w, DatasetInput input)
    {
        w.WriteStartObject();
        WriteTags(w, "tags", input.Tags);
        w.WriteStartObject("dataset");
        var d = input.Dataset;
        w.WriteString("name", d.Name);
        w.WriteString("digest", d.Digest);
        w.WriteString("source_type", d.SourceType);
        w.WriteString("source", d.Source);
        if (!string.IsNullOrEmpty(d.Schema))
            w.WriteString("schema", d.Schema);
        if (!string.IsNullOrEmpty(d.Profile))
            w.WriteString("profile", d.Profile);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
