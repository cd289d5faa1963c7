namespace Slipway.Tracking.Domain;

/// <summary>A key/value pair: experiment tags, run tags, dataset input tags.</summary>
public readonly record struct Tag(string Key, string Value);

/// <summary>A run parameter; immutable once logged.</summary>
public readonly record struct Param(string Key, string Value);

/// <summary>One metric observation. NaN and ±Infinity are legal values.</summary>
public readonly record struct Metric(string Key, double Value, long Timestamp, long Step);

public static class LifecycleStage
{
    public const string Active = "active";
    public const string Deleted = "deleted";
}

public static class RunStatus
{
    public const string Running = "RUNNING";
    public const string Scheduled = "SCHEDULED";
    public const string Finished = "FINISHED";
    public const string Failed = "FAILED";
    public const string Killed = "KILLED";

    public static bool IsValid(string status) =>
        status is Running or Scheduled or Finished or Failed or Killed;
}

public enum ViewType
{
    ActiveOnly,
    DeletedOnly,
    All,
}

public sealed record Experiment(
    string ExperimentId,
    string Name,
    string ArtifactLocation,
    string LifecycleStage,
    long CreationTime,
    long LastUpdateTime,
    IReadOnlyList<Tag> Tags);

public sealed record RunInfo(
    string RunId,
    string ExperimentId,
    string RunName,
    string UserId,
    string Status,
    long StartTime,
    long? EndTime,
    string ArtifactUri,
    string LifecycleStage);

public sealed record Dataset(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile);

public sealed record DatasetInput(IReadOnlyList<Tag> Tags, Dataset Dataset);

public sealed record Run(
    RunInfo Info,
    IReadOnlyList<Metric> Metrics,
    IReadOnlyList<Param> Params,
    IReadOnlyList<Tag> Tags,
    IReadOnlyList<DatasetInput> Inputs);

/// <summary>One page of results; <see cref="NextPageToken"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken);

/// <summary>
/// A page of metric history as a stream. When <see cref="PageSize"/> is set the stream may hold one row more
/// than the page, meaning another page follows at <see cref="Offset"/> + <see cref="PageSize"/>.
/// </summary>
public sealed record MetricHistoryPage(IAsyncEnumerable<Metric> Rows, int? PageSize, int Offset);
