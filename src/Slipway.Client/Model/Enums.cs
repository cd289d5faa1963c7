using System.Text.Json.Serialization;

namespace Slipway.Client;

/// <summary>The status of a run, as MLflow names it on the wire.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    /// <summary>The run is in progress (<c>RUNNING</c>).</summary>
    [JsonStringEnumMemberName("RUNNING")]
    Running,

    /// <summary>The run is scheduled but has not started (<c>SCHEDULED</c>).</summary>
    [JsonStringEnumMemberName("SCHEDULED")]
    Scheduled,

    /// <summary>The run completed successfully (<c>FINISHED</c>).</summary>
    [JsonStringEnumMemberName("FINISHED")]
    Finished,

    /// <summary>The run ended with an error (<c>FAILED</c>).</summary>
    [JsonStringEnumMemberName("FAILED")]
    Failed,

    /// <summary>The run was cancelled (<c>KILLED</c>).</summary>
    [JsonStringEnumMemberName("KILLED")]
    Killed,
}

/// <summary>Which lifecycle stages a search returns.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ViewType>))]
public enum ViewType
{
    /// <summary>Only active (not deleted) objects (<c>ACTIVE_ONLY</c>), the default.</summary>
    [JsonStringEnumMemberName("ACTIVE_ONLY")]
    ActiveOnly,

    /// <summary>Only deleted objects (<c>DELETED_ONLY</c>).</summary>
    [JsonStringEnumMemberName("DELETED_ONLY")]
    DeletedOnly,

    /// <summary>Active and deleted objects (<c>ALL</c>).</summary>
    [JsonStringEnumMemberName("ALL")]
    All,
}

/// <summary>The lifecycle stages an experiment or a run can be in.</summary>
public static class LifecycleStages
{
    /// <summary>The object is live (<c>active</c>).</summary>
    public const string Active = "active";

    /// <summary>The object was deleted and can still be restored (<c>deleted</c>).</summary>
    public const string Deleted = "deleted";
}
