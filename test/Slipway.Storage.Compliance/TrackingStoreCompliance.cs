using Slipway.Core.Errors;
using Slipway.Storage.Compliance.Fixtures;
using Slipway.Tracking.Domain;
using Slipway.Tracking.Search;

namespace Slipway.Storage.Compliance;

/// <summary>
/// The behaviour every <see cref="ITrackingStore"/> provider must share, as one suite that
/// <see cref="SqliteTrackingStoreTests"/> and <see cref="PostgresTrackingStoreTests"/> inherit (Wolverine's
/// <c>MessageStoreCompliance</c> pattern). The facts live in partial files by concern; this file holds the helpers.
/// </summary>
public abstract partial class TrackingStoreCompliance(StoreFixture fixture)
{
    protected const long Now = 1_700_000_000_000;

    protected ITrackingStore Store => fixture.Store;

    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>Names that no other test in the shared database uses.</summary>
    protected static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    protected Task<string> CreateExperimentAsync(string? name = null, params Tag[] tags) =>
        Store.CreateExperimentAsync(name ?? Unique("exp"), null, tags, Now, Ct);

    protected async Task<string> CreateRunAsync(string experimentId, string runName = "run", long startTime = Now, string userId = "alice", params Tag[] tags)
    {
        var runId = Guid.NewGuid().ToString("N");
        var info = new RunInfo(runId, experimentId, runName, userId, RunStatus.Running, startTime, null, "", LifecycleStage.Active);
        await Store.CreateRunAsync(info, tags, Ct);
        return runId;
    }

    protected async Task<Experiment> GetExperimentAsync(string experimentId) =>
        Assert.IsType<Experiment>(await Store.GetExperimentAsync(experimentId, Ct));

    protected async Task<Run> GetRunAsync(string runId) =>
        Assert.IsType<Run>(await Store.GetRunAsync(runId, Ct));

    protected Task LogAsync(string runId, Metric[]? metrics = null, Param[]? parameters = null, Tag[]? tags = null) =>
        Store.LogBatchAsync(runId, metrics ?? [], parameters ?? [], tags ?? [], Ct);

    /// <summary>Reads a metric history window into a list.</summary>
    protected async Task<List<Metric>> HistoryAsync(string runId, string key, int offset, int limit, CancellationToken ct)
    {
        var rows = new List<Metric>();
        await foreach (var metric in Store.ReadMetricHistoryAsync(runId, key, offset, limit, ct))
            rows.Add(metric);
        return rows;
    }

    protected Task LogMetricAsync(string runId, string key, double value, long timestamp = Now, long step = 0) =>
        LogAsync(runId, metrics: [new Metric(key, value, timestamp, step)]);

    /// <summary>Searches one experiment's runs with the server's parsers; the whole result must fit one page.</summary>
    protected async Task<IReadOnlyList<Run>> SearchRunsAsync(
        string experimentId, string? filter = null, string[]? orderBy = null, ViewType viewType = ViewType.ActiveOnly)
    {
        var query = new RunQuery([experimentId], RunSearchParser.ParseFilter(filter), RunSearchParser.ParseOrderBy(orderBy), viewType, 1000, 0);
        var (items, hasMore) = await Store.SearchRunsAsync(query, Ct);
        Assert.False(hasMore);
        return items;
    }

    /// <summary>Run names in result order.</summary>
    protected static string[] Names(IReadOnlyList<Run> runs) => runs.Select(r => r.Info.RunName).ToArray();

    /// <summary>Expected names written as "a,b,c" (empty for none), to keep [InlineData] rows readable.</summary>
    protected static string[] Split(string names) => names.Length == 0 ? [] : names.Split(',');

    /// <summary>Run names sorted, for filters whose result order is not the point.</summary>
    protected static string[] SortedNames(IReadOnlyList<Run> runs) => runs.Select(r => r.Info.RunName).Order(StringComparer.Ordinal).ToArray();

    protected static async Task<SlipwayException> AssertErrorAsync(ErrorCode expected, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<SlipwayException>(action);
        Assert.Equal(expected, error.Code);
        return error;
    }
}
