using Slipway.Core.Audit;
using Slipway.Tracking.Search;

namespace Slipway.Tracking.Domain;

public sealed record ExperimentQuery(
    IReadOnlyList<FilterClause> Filter,
    IReadOnlyList<OrderClause> OrderBy,
    ViewType ViewType,
    int MaxResults,
    int Offset);

public sealed record RunQuery(
    IReadOnlyList<string> ExperimentIds,
    IReadOnlyList<FilterClause> Filter,
    IReadOnlyList<OrderClause> OrderBy,
    ViewType ViewType,
    int MaxResults,
    int Offset);

/// <summary>Fields of a run that <c>runs/update</c> may change; null leaves a field as it is.</summary>
public sealed record RunUpdate(string? Status, long? EndTime, string? RunName);

/// <summary>
/// Persistence of experiments and runs. Implemented once (EF Core) for SQLite and PostgreSQL; the
/// compliance suite in <c>test/Slipway.Storage.Compliance</c> holds both providers to the same behaviour.
/// Validation of shapes happens in <see cref="TrackingService"/>; the store enforces what needs the data
/// (existence, uniqueness, param immutability) inside one transaction. It also purges deleted data for
/// <c>slipway gc</c> (<see cref="Slipway.Tracking.Gc.ITrackingPurge"/>).
/// </summary>
public interface ITrackingStore : Slipway.Tracking.Gc.ITrackingPurge
{
    Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyList<Tag> tags, long now, CancellationToken ct);

    Task<Experiment?> GetExperimentAsync(string experimentId, CancellationToken ct);

    Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken ct);

    /// <summary>Returns one page and whether more rows follow it.</summary>
    Task<(IReadOnlyList<Experiment> Items, bool HasMore)> SearchExperimentsAsync(ExperimentQuery query, CancellationToken ct);

    Task RenameExperimentAsync(string experimentId, string newName, long now, CancellationToken ct);

    /// <summary>Deletes or restores an experiment with its runs, and appends the audit event in the same transaction.</summary>
    Task SetExperimentLifecycleAsync(string experimentId, string stage, long now, AuditContext audit, CancellationToken ct);

    Task SetExperimentTagAsync(string experimentId, Tag tag, CancellationToken ct);

    Task DeleteExperimentTagAsync(string experimentId, string key, long now, AuditContext audit, CancellationToken ct);

    Task CreateRunAsync(RunInfo info, IReadOnlyList<Tag> tags, CancellationToken ct);

    Task<Run?> GetRunAsync(string runId, CancellationToken ct);

    Task<RunInfo?> GetRunInfoAsync(string runId, CancellationToken ct);

    Task<RunInfo> UpdateRunAsync(string runId, RunUpdate update, CancellationToken ct);

    /// <summary>Deletes or restores a run and appends the audit event (an anonymous actor becomes the run's user).</summary>
    Task SetRunLifecycleAsync(string runId, string stage, long now, AuditContext audit, CancellationToken ct);

    /// <summary>Writes metrics, params and tags atomically; duplicate metric rows are absorbed.</summary>
    Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<Tag> tags, CancellationToken ct);

    Task DeleteTagAsync(string runId, string key, long now, AuditContext audit, CancellationToken ct);

    Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> inputs, CancellationToken ct);

    /// <summary>Streams up to <paramref name="limit"/> history rows after <paramref name="offset"/>, ordered by step then timestamp.</summary>
    IAsyncEnumerable<Metric> ReadMetricHistoryAsync(string runId, string key, int offset, int limit, CancellationToken ct);

    /// <summary>How many history rows a metric has (0 for an unknown run or key).</summary>
    Task<int> CountMetricHistoryAsync(string runId, string key, CancellationToken ct);

    Task<(IReadOnlyList<Run> Items, bool HasMore)> SearchRunsAsync(RunQuery query, CancellationToken ct);
}
