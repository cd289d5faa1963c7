using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Client;

/// <summary>A monitor as the server stores it: its spec, timestamps and next scheduled run.</summary>
public sealed record EndpointMonitor
{
    /// <summary>The spec, with the server's defaults filled in; change it and send it back with <see cref="SlipwayClient.UpdateMonitorAsync"/>.</summary>
    public required MonitorSpec Spec { get; init; }

    /// <summary>Creation time, milliseconds since the Unix epoch.</summary>
    public long CreationTime { get; init; }

    /// <summary>Last update time, milliseconds since the Unix epoch.</summary>
    public long LastUpdatedTime { get; init; }

    /// <summary>The next scheduled run, milliseconds since the Unix epoch; null without a schedule.</summary>
    public long? NextRunTime { get; init; }
}

/// <summary>Where a monitor run is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MonitorRunStatus>))]
public enum MonitorRunStatus
{
    /// <summary>The run is computing (<c>running</c>).</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>The run finished and stored its reports (<c>succeeded</c>); an empty window also succeeds, with a message.</summary>
    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    /// <summary>The run could not compute (<c>failed</c>); <see cref="MonitorRun.Message"/> says why.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}

/// <summary>One run of a monitor over one window of traffic. Times are milliseconds since the Unix epoch.</summary>
public sealed record MonitorRun
{
    /// <summary>The run id.</summary>
    public string Id { get; init => field = value ?? ""; } = "";

    /// <summary>The monitor's name.</summary>
    public string Monitor { get; init => field = value ?? ""; } = "";

    /// <summary>What started it: <c>api</c>, <c>schedule</c> or <c>manual</c>.</summary>
    public string Trigger { get; init => field = value ?? ""; } = "";

    /// <summary>Running, succeeded or failed.</summary>
    public MonitorRunStatus Status { get; init; }

    /// <summary>When the run started.</summary>
    public long StartTime { get; init; }

    /// <summary>When it ended; null while running.</summary>
    public long? EndTime { get; init; }

    /// <summary>The start of the window of traffic it read.</summary>
    public long WindowStart { get; init; }

    /// <summary>The end of the window.</summary>
    public long WindowEnd { get; init; }

    /// <summary>Logged requests in the window (before sampling).</summary>
    public long RowsSeen { get; init; }

    /// <summary>The model version that answered most of the window's requests; null for an empty window.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>The share of tested features that drifted; null when nothing was tested.</summary>
    public double? DriftShare { get; init; }

    /// <summary>True when the drift share reached the monitor's limit; null when nothing was tested.</summary>
    public bool? DatasetDrift { get; init; }

    /// <summary>How many features drifted.</summary>
    public int? DriftedColumns { get; init; }

    /// <summary>How many features were tested.</summary>
    public int? CheckedColumns { get; init; }

    /// <summary>How many data-quality checks failed.</summary>
    public int? QualityFailures { get; init; }

    /// <summary>Why a run failed, or the warnings of a successful one (e.g. an empty window).</summary>
    public string? Message { get; init; }

    /// <summary>The artifact path of the HTML report; download it with <see cref="SlipwayClient.DownloadMonitorReportAsync"/>.</summary>
    public string? ReportHtml { get; init; }

    /// <summary>The artifact path of the JSON report.</summary>
    public string? ReportJson { get; init; }

    /// <summary>The JSON report with every figure of the run; only set by <see cref="SlipwayClient.GetMonitorRunAsync"/> and <see cref="SlipwayClient.RunMonitorAsync"/>.</summary>
    public JsonElement? Result { get; init; }
}
