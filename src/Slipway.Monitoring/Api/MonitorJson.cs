using System.Text.Json;
using Slipway.Monitoring.Alerts;
using Slipway.Monitoring.Monitors;

namespace Slipway.Monitoring.Api;

/// <summary>The REST forms of monitors, runs and alert episodes (snake_case, times in unix milliseconds).</summary>
internal static class MonitorJson
{
    public static void Write(Utf8JsonWriter w, MonitorRecord monitor)
    {
        w.WriteStartObject();
        w.WritePropertyName("spec");
        JsonSerializer.Serialize(w, monitor.Spec, MonitorSpecJson.Options);
        w.WriteNumber("creation_time", monitor.CreationTime);
        w.WriteNumber("last_updated_time", monitor.LastUpdatedTime);
        if (monitor.NextRunTime is { } next)
            w.WriteNumber("next_run_time", next);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, MonitorRunRecord run)
    {
        w.WriteStartObject();
        w.WriteString("id", run.Id);
        w.WriteString("monitor", run.Monitor);
        w.WriteString("trigger", run.Trigger);
        w.WriteString("status", run.Status.ToString().ToLowerInvariant());
        w.WriteNumber("start_time", run.StartTime);
        if (run.EndTime is { } end)
            w.WriteNumber("end_time", end);
        w.WriteNumber("window_start", run.WindowStart);
        w.WriteNumber("window_end", run.WindowEnd);
        w.WriteNumber("rows_seen", run.RowsSeen);
        WriteOptional(w, "model_version", run.ModelVersion);
        if (run.DriftShare is { } share)
            w.WriteNumber("drift_share", share);
        if (run.DatasetDrift is { } drift)
            w.WriteBoolean("dataset_drift", drift);
        if (run.DriftedColumns is { } drifted)
            w.WriteNumber("drifted_columns", drifted);
        if (run.CheckedColumns is { } checkedColumns)
            w.WriteNumber("checked_columns", checkedColumns);
        if (run.QualityFailures is { } failures)
            w.WriteNumber("quality_failures", failures);
        WriteOptional(w, "message", run.Error);
        WriteOptional(w, "report_html", run.ReportHtml);
        WriteOptional(w, "report_json", run.ReportJson);
        if (run.Result is { } result)
        {
            // The stored report JSON, embedded as is: every number of the run.
            w.WritePropertyName("result");
            w.WriteRawValue(result, skipInputValidation: true);
        }
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, AlertState alert)
    {
        w.WriteStartObject();
        w.WriteString("id", alert.Id);
        w.WriteString("monitor", alert.Monitor);
        w.WriteString("rule", alert.Rule);
        w.WriteString("fingerprint", alert.Fingerprint);
        w.WriteString("status", alert.Status.ToString().ToLowerInvariant());
        w.WriteNumber("starts_at", alert.StartsAt.ToUnixTimeMilliseconds());
        if (alert.EndsAt is { } ends)
            w.WriteNumber("ends_at", ends.ToUnixTimeMilliseconds());
        if (alert.LastSentAt is { } sent)
            w.WriteNumber("last_sent_at", sent.ToUnixTimeMilliseconds());
        w.WriteNumber("updated_at", alert.UpdatedAt.ToUnixTimeMilliseconds());
        WriteMap(w, "labels", alert.Labels);
        WriteMap(w, "annotations", alert.Annotations);
        w.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
            w.WriteString(key, value);
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
            w.WriteString(name, value);
    }
}
