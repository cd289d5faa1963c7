namespace Slipway.Storage.Rows;

// Rows of the pipelines module. A pipeline is stored as the YAML it was applied with; a run keeps its trigger,
// params and per-step states as JSON written by Slipway.Pipelines, and its status and claim in columns.

public sealed class PipelineRow
{
    public string Name { get; set; } = "";
    public string Yaml { get; set; } = "";
    public string DefinitionHash { get; set; } = "";
    public bool Enabled { get; set; }
    public int Concurrency { get; set; }
    public long CreationTime { get; set; }
    public long LastUpdatedTime { get; set; }
    public long? NextScheduleTime { get; set; }
    public long? LastScheduleSlot { get; set; }
    public string? WorkingDirectory { get; set; }
    /// <summary>Bumped by every run claim: the row lock that serializes claims of one pipeline on PostgreSQL.</summary>
    public long ClaimSequence { get; set; }
}

public sealed class PipelineRunRow
{
    public string Id { get; set; } = "";
    public string Pipeline { get; set; } = "";
    public string Status { get; set; } = "";
    public string TriggerKind { get; set; } = "";
    public string TriggerDetail { get; set; } = "{}";
    public string Params { get; set; } = "{}";
    public string Steps { get; set; } = "[]";
    public string? ExperimentId { get; set; }
    public string? WorkingDirectory { get; set; }
    public long CreationTime { get; set; }
    public long? StartTime { get; set; }
    public long? EndTime { get; set; }
    public string? Replica { get; set; }
    public bool CancelRequested { get; set; }
    public string? Error { get; set; }
    /// <summary>Refreshed by the replica executing the run; a stale one lets any replica fail the run (unix ms).</summary>
    public long? HeartbeatTime { get; set; }
}

public sealed class PipelineStepCacheRow
{
    public string Pipeline { get; set; } = "";
    public string CacheKey { get; set; } = "";
    public string Outputs { get; set; } = "{}";
    public string SourceRun { get; set; } = "";
    public long CreationTime { get; set; }
}
