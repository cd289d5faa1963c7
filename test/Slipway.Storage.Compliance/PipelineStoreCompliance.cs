using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Pipelines;

namespace Slipway.Storage.Compliance;

/// <summary>
/// The behaviour every <see cref="IPipelineStore"/> provider must share, inherited by <see cref="SqlitePipelineStoreTests"/>
/// and <see cref="PostgresPipelineStoreTests"/>. Tests share one database per class, so each uses pipeline names of its own.
/// </summary>
public abstract class PipelineStoreCompliance(ServicesFixture fixture)
{
    private const long Now = 1_700_000_000_000;
    private const int Racers = 8;
    private static readonly AuditContext Alice = new("alice", "req-alice");

    private IPipelineStore Store => fixture.Get<IPipelineStore>();

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Upsert_CreateThenReplace_RoundTripsAndAuditsBoth()
    {
        var name = Unique();

        var (created, isNew) = await Store.UpsertAsync(Pipeline(name, "v1", next: Now + 10), Alice, Ct);
        var (updated, isNewAgain) = await Store.UpsertAsync(Pipeline(name, "v2", next: null) with { LastUpdatedTime = Now + 5 }, Alice, Ct);
        var read = await Store.GetAsync(name, Ct);
        var (events, _) = await fixture.Audit.SearchAsync(new AuditQuery(PipelineActions.Resource(name), null, null, 10, 0), Ct);

        Assert.True(isNew);
        Assert.False(isNewAgain);
        Assert.Equal(Now + 10, created.NextScheduleTime);
        Assert.Equal((name, "v2", (long?)null, Now, Now + 5), (read!.Name, read.Yaml, read.NextScheduleTime, read.CreationTime, read.LastUpdatedTime));
        Assert.Equal(updated, read);
        Assert.Equal([PipelineActions.Created, PipelineActions.Updated], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(("alice", "req-alice"), (e.Actor, e.RequestId)));
    }

    [Fact]
    public async Task Delete_WithActiveRun_ConflictsThenDeletesRunsAndCache()
    {
        var name = Unique();
        await Store.UpsertAsync(Pipeline(name, "v1"), Alice, Ct);
        var run = Run(name, Unique());
        await Store.AddRunAsync(run, Alice, Ct);
        await Store.PutCachedStepAsync(new PipelineStepCacheRecord(name, "k", "{\"a\":\"1\"}", run.Id, Now), Ct);

        var conflict = await Assert.ThrowsAsync<SlipwayException>(() => Store.DeleteAsync(name, Now, Alice, Ct));
        await Store.FinishRunAsync(run.Id, PipelineRunStates.Cancelled, null, Now, Ct);
        await Store.DeleteAsync(name, Now, Alice, Ct);

        Assert.Equal(ErrorCode.ResourceConflict, conflict.Code);
        Assert.Null(await Store.GetAsync(name, Ct));
        Assert.Null(await Store.GetRunAsync(run.Id, Ct));
        Assert.Null(await Store.GetCachedStepAsync(name, "k", Ct));
        var missing = await Assert.ThrowsAsync<SlipwayException>(() => Store.DeleteAsync(name, Now, Alice, Ct));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, missing.Code);
    }

    [Fact]
    public async Task TryClaimSchedule_Racers_ExactlyOneWins()
    {
        var name = Unique();
        await Store.UpsertAsync(Pipeline(name, "v1", next: 100), Alice, Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => Task.Run(() => Store.TryClaimScheduleAsync(name, 100, 200, Ct))));
        var read = await Store.GetAsync(name, Ct);

        Assert.Single(results, r => r);
        Assert.Equal(((long?)200, (long?)100), (read!.NextScheduleTime, read.LastScheduleSlot));
        Assert.False(await Store.TryClaimScheduleAsync(name, 100, 300, Ct));
    }

    [Fact]
    public async Task TryStartRun_RacersUnderLimitTwo_NeverMoreThanTwoRunning()
    {
        var name = Unique();
        await Store.UpsertAsync(Pipeline(name, "v1") with { Concurrency = 2 }, Alice, Ct);
        var runs = Enumerable.Range(0, 5).Select(i => Run(name, $"{name}-run-{i}", creation: Now + i)).ToList();
        foreach (var run in runs)
            await Store.AddRunAsync(run, Alice, Ct);

        var claims = await Task.WhenAll(runs.SelectMany(r => Enumerable.Range(0, 2).Select(i =>
            Task.Run(() => Store.TryStartRunAsync(r.Id, 2, $"replica-{i}", Now, Ct)))));
        var (running, _) = await Store.ListRunsAsync(name, PipelineRunStates.Running, 10, 0, Ct);
        var queued = await Store.ListQueuedRunsAsync(Ct);

        Assert.Equal(2, claims.Count(c => c));
        Assert.Equal(2, running.Count);
        Assert.All(running, r => Assert.StartsWith("replica-", r.Replica));
        Assert.Equal(3, queued.Count(q => q.Pipeline == name));
        Assert.Equal(queued.Where(q => q.Pipeline == name).OrderBy(q => q.CreationTime).Select(q => q.Id),
            queued.Where(q => q.Pipeline == name).Select(q => q.Id));
    }

    [Fact]
    public async Task Cancel_QueuedAndRunning_QueuedEndsRunningIsFlagged()
    {
        var name = Unique();
        await Store.UpsertAsync(Pipeline(name, "v1"), Alice, Ct);
        var queued = Run(name, Unique());
        var running = Run(name, Unique());
        await Store.AddRunAsync(queued, Alice, Ct);
        await Store.AddRunAsync(running, Alice, Ct);
        Assert.True(await Store.TryStartRunAsync(running.Id, 1, "r", Now, Ct));

        var cancelledQueued = await Store.CancelRunAsync(queued.Id, Now + 1, Alice, Ct);
        var flagged = await Store.CancelRunAsync(running.Id, Now + 1, Alice, Ct);
        var startAfterCancel = await Store.TryStartRunAsync(queued.Id, 5, "r", Now, Ct);

        Assert.Equal((PipelineRunStates.Cancelled, true, (long?)(Now + 1)), (cancelledQueued!.Status, cancelledQueued.CancelRequested, cancelledQueued.EndTime));
        Assert.Equal((PipelineRunStates.Running, true), (flagged!.Status, flagged.CancelRequested));
        Assert.False(startAfterCancel);
        Assert.Null(await Store.CancelRunAsync("no-such-run", Now, Alice, Ct));
        Assert.True(await Store.FinishRunAsync(running.Id, PipelineRunStates.Cancelled, "cancelled", Now + 2, Ct));
        Assert.False(await Store.FinishRunAsync(running.Id, PipelineRunStates.Failed, "late", Now + 3, Ct));
    }

    [Fact]
    public async Task StepsRecoveryAndCache_RoundTrip()
    {
        var name = Unique();
        await Store.UpsertAsync(Pipeline(name, "v1"), Alice, Ct);
        var run = Run(name, Unique());
        await Store.AddRunAsync(run, Alice, Ct);
        Assert.True(await Store.TryStartRunAsync(run.Id, 1, "r", Now, Ct));

        await Store.UpdateRunStepsAsync(run.Id, "[{\"step_id\":\"a\"}]", Ct);
        var failed = await Store.FailRunningRunsAsync("server restarted", Now + 9, Ct);
        await Store.PutCachedStepAsync(new PipelineStepCacheRecord(name, "key", "{\"x\":\"1\"}", run.Id, Now), Ct);
        await Store.PutCachedStepAsync(new PipelineStepCacheRecord(name, "key", "{\"x\":\"2\"}", run.Id, Now + 1), Ct);
        var read = await Store.GetRunAsync(run.Id, Ct);

        Assert.Contains(run.Id, failed);
        Assert.Equal((PipelineRunStates.Failed, "server restarted", (long?)(Now + 9), "[{\"step_id\":\"a\"}]"), (read!.Status, read.Error, read.EndTime, read.Steps));
        Assert.Equal("{\"x\":\"2\"}", (await Store.GetCachedStepAsync(name, "key", Ct))!.Outputs);
        Assert.Null(await Store.GetCachedStepAsync(name + "-other", "key", Ct));
    }

    private static PipelineRecord Pipeline(string name, string yaml, long? next = null) =>
        new(name, yaml, "hash-" + yaml, true, 1, Now, Now, next, null);

    private static PipelineRunRecord Run(string pipeline, string id, long creation = Now) =>
        new(id, pipeline, PipelineRunStates.Queued, "manual", "{}", "{}", "[]", "0", null, creation, null, null, null, false, null);

    private static string Unique() => "p" + Guid.NewGuid().ToString("N")[..12];
}

public sealed class SqlitePipelineStoreTests(SqliteServicesFixture fixture)
    : PipelineStoreCompliance(fixture), IClassFixture<SqliteServicesFixture>;

/// <summary>Needs <c>SLIPWAY_TEST_POSTGRES</c>; <c>./scripts/test.sh</c> starts a server and sets it.</summary>
public sealed class PostgresPipelineStoreTests(PostgresServicesFixture fixture)
    : PipelineStoreCompliance(fixture), IClassFixture<PostgresServicesFixture>;
