namespace Slipway.Pipelines.Definition;

/// <summary>
/// The <c>on:</c> block: cron schedules (UTC, five fields), monitors whose alerts start the pipeline when they start
/// firing, and registered models whose new versions start it. Only a server acts on them; <c>slipway pipeline run --local</c>
/// ignores them.
/// </summary>
public sealed record PipelineTriggers
{
    public static PipelineTriggers None { get; } = new();

    /// <summary>Cron expressions, evaluated in UTC.</summary>
    public IReadOnlyList<string> Schedules { get; init; } = [];

    /// <summary>Monitor names (<c>monitor_alert: {monitor: NAME}</c>).</summary>
    public IReadOnlyList<string> MonitorAlerts { get; init; } = [];

    /// <summary>Registered model names (<c>model_version: {model: NAME}</c>).</summary>
    public IReadOnlyList<string> ModelVersions { get; init; } = [];

    public bool IsEmpty => Schedules.Count == 0 && MonitorAlerts.Count == 0 && ModelVersions.Count == 0;
}

/// <summary>
/// Why a run started, as <c>${{ trigger.* }}</c> sees it: <c>kind</c> is <c>manual</c>, <c>schedule</c>,
/// <c>monitor_alert</c> or <c>model_version</c>; the other fields are empty strings when they do not apply.
/// </summary>
public sealed record PipelineTrigger
{
    public const string Manual = "manual";
    public const string Schedule = "schedule";
    public const string MonitorAlert = "monitor_alert";
    public const string ModelVersion = "model_version";

    /// <summary>The names <c>trigger.NAME</c> may use.</summary>
    public static IReadOnlyList<string> FieldNames { get; } = ["kind", "monitor", "alert_id", "model", "version", "schedule"];

    public static PipelineTrigger ManualRun { get; } = new() { Kind = Manual };

    public string Kind { get; init; } = Manual;
    public string Monitor { get; init; } = "";
    public string AlertId { get; init; } = "";
    public string Model { get; init; } = "";
    public string Version { get; init; } = "";
    /// <summary>The cron slot a scheduled run fired for (RFC 3339, UTC).</summary>
    public string ScheduledAt { get; init; } = "";

    /// <summary>The value of <c>trigger.NAME</c>; null for a name that is not a trigger field.</summary>
    public string? Field(string name) => name switch
    {
        "kind" => Kind,
        "monitor" => Monitor,
        "alert_id" => AlertId,
        "model" => Model,
        "version" => Version,
        "schedule" => ScheduledAt,
        _ => null,
    };
}
