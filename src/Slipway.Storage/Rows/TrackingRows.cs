namespace Slipway.Storage.Rows;

// Database rows, kept apart from the domain types in Slipway.Tracking.Domain; mapping is explicit in
// Tracking/RowMapping.cs. Table and column names follow MLflow's schema where one exists.

public sealed class ExperimentRow
{
    public long ExperimentId { get; set; }
    public string Name { get; set; } = "";
    public string ArtifactLocation { get; set; } = "";
    public string LifecycleStage { get; set; } = "";
    public long CreationTime { get; set; }
    public long LastUpdateTime { get; set; }
}

public sealed class ExperimentTagRow
{
    public long ExperimentId { get; set; }
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}

public sealed class RunRow
{
    public string RunUuid { get; set; } = "";
    public string Name { get; set; } = "";
    public long ExperimentId { get; set; }
    public string UserId { get; set; } = "";
    public string Status { get; set; } = "";
    public long StartTime { get; set; }
    public long? EndTime { get; set; }
    public string ArtifactUri { get; set; } = "";
    public string LifecycleStage { get; set; } = "";
    public long? DeletedTime { get; set; }
}

public sealed class ParamRow
{
    public string RunUuid { get; set; } = "";
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}

public sealed class RunTagRow
{
    public string RunUuid { get; set; } = "";
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}

/// <summary>Append-only metric history. NaN is stored as value 0 with <see cref="IsNan"/> set (SQLite has no NaN).</summary>
public sealed class MetricRow
{
    public string RunUuid { get; set; } = "";
    public string Key { get; set; } = "";
    public long Step { get; set; }
    public long Timestamp { get; set; }
    public double Value { get; set; }
    public bool IsNan { get; set; }
}

/// <summary>The latest value per (run, key): highest step, then timestamp, then value. Search filters and sorts on it.</summary>
public sealed class LatestMetricRow
{
    public string RunUuid { get; set; } = "";
    public string Key { get; set; } = "";
    public long Step { get; set; }
    public long Timestamp { get; set; }
    public double Value { get; set; }
    public bool IsNan { get; set; }
}

public sealed class DatasetRow
{
    public string DatasetUuid { get; set; } = "";
    public long ExperimentId { get; set; }
    public string Name { get; set; } = "";
    public string Digest { get; set; } = "";
    public string SourceType { get; set; } = "";
    public string Source { get; set; } = "";
    public string? Schema { get; set; }
    public string? Profile { get; set; }
}

public sealed class RunInputRow
{
    public string RunUuid { get; set; } = "";
    public string DatasetUuid { get; set; } = "";
    public long Position { get; set; }
}

public sealed class RunInputTagRow
{
    public string RunUuid { get; set; } = "";
    public string DatasetUuid { get; set; } = "";
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}
