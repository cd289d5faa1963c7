namespace Slipway.Storage.Rows;

// Rows of the monitoring module. A monitor's spec is read and written whole, so it is JSON text
// (Slipway.Monitoring.Monitors.MonitorSpecJson); a run keeps its headline numbers in columns for history lists and
// the whole result as JSON for the detail view.

public sealed class MonitorRow
{
    public string Name { get; set; } = "";
    public string Endpoint { get; set; } = "";
    public string Spec { get; set; } = "";
    public long? NextRunTime { get; set; }
    public long CreationTime { get; set; }
    public long LastUpdatedTime { get; set; }
}

public sealed class MonitorRunRow
{
    public string Id { get; set; } = "";
    public string Monitor { get; set; } = "";
    public string Trigger { get; set; } = "";
    public string Status { get; set; } = "";
    public long StartTime { get; set; }
    public long? EndTime { get; set; }
    public long WindowStart { get; set; }
    public long WindowEnd { get; set; }
    public long RowsSeen { get; set; }
    public string? ModelVersion { get; set; }
    public double? DriftShare { get; set; }
    public bool? DatasetDrift { get; set; }
    public int? DriftedColumns { get; set; }
    public int? CheckedColumns { get; set; }
    public int? QualityFailures { get; set; }
    public string? Error { get; set; }
    public string? ReportHtml { get; set; }
    public string? ReportJson { get; set; }
    public string? Result { get; set; }
}

public sealed class MonitorAlertRow
{
    public string Id { get; set; } = "";
    public string Monitor { get; set; } = "";
    public string Rule { get; set; } = "";
    public string Fingerprint { get; set; } = "";
    public string Labels { get; set; } = "";
    public string Annotations { get; set; } = "";
    public string Status { get; set; } = "";
    public long StartsAt { get; set; }
    public long? EndsAt { get; set; }
    public long? LastSentAt { get; set; }
    public long UpdatedAt { get; set; }
}
