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
        var again = await Store.CancelRunAsync(running.Id, Now + 2, Alice, Ct);
        var startAfterCancel = await Store.TryStartRunAsync(queued.Id, 5, "r", Now, Ct);
        var (events, _) = await fixture.Audit.SearchAsync(new AuditQuery(PipelineActions.Resource(name), PipelineActions.RunCancelled, null, 10, 0), Ct);

        Assert.Equal((PipelineRunStates.Cancelled, true, (long?)(Now + 1), true),
            (cancelledQueued!.Value.Run.Status, cancelledQueued.Value.Run.CancelRequested, cancelledQueued.Value.Run.EndTime, cancelledQueued.Value.Changed));
        Assert.Equal((PipelineRunStates.Running, true, true), (flagged!.Value.Run.Status, flagged.Value.Run.CancelRequested, flagged.Value.Changed));
        Assert.Equal((PipelineRunStates.Running, false), (again!.Value.Run.Status, again.Value.Changed)); // a repeat changes nothing
        Assert.Equal(2, events.Count);
        Assert.False(startAfterCancel);
        Assert.Null(await Store.CancelRunAsync("no-such-run", Now, Alice, Ct));
        Assert.True(await Store.FinishRunAsync(running.Id, PipelineRunStates.Cancelled, "cancelled", Now + 2, Ct));
        Assert.False(await Store.FinishRunAsync(running.Id, PipelineRunStates.Failed, "late", Now + 3, Ct));
        var afterFinish = await Store.CancelRunAsync(running.Id, Now + 4, Alice, Ct);
        Assert.Equal((PipelineRunStates.Cancelled, "cancelled", false), (afterFinish!.Value.Run.Status, afterFinish.Value.Run.Error, afterFinish.Value.Changed));
    }

    [Fact]
    public async Task Cancel_RacingTheClaim_EndsCancelledOrFlaggedNeverLost()
    {
        var name = Unique();
        await Store.UpsertAsync(Pipeline(name, "v1"), Alice, Ct);
        var ids = Enumerable.Range(0, Racers).Select(_ => Unique()).ToList();
        foreach (var id in ids)
            await Store.AddRunAsync(Run(name, id), Alice, Ct);

        await Task.WhenAll(ids.SelectMany(id => new Task[]
        {
            Task.Run(() => Store.CancelRunAsync(id, Now + 1, Alice, Ct)),
            Task.Run(() => Store.TryStartRunAsync(id, Racers, "r", Now, Ct)),
        }));
        var runs = await Task.WhenAll(ids.Select(id => Store.GetRunAsync(id, Ct)));

        // Whichever landed first, the cancel holds: cancelled before any claim (so never claimed), or flagged on the
        // running run. A cancel that overwrote a claim would leave a "cancelled" run that a replica is executing.
        Assert.All(runs, r => Assert.True(
            r!.CancelRequested && (r.Status == PipelineRunStates.Cancelled ? r.Replica is null : r.Status == PipelineRunStates.Running),
            $"{r.Status} cancel_requested={r.CancelRequested} replica={r.Replica}"));
    }

    [Fact]
    public async Task Heartbeat_StaleRunIsFailedFreshRunIsNot()
    {
        var name = Unique();
        await Store.UpsertAsync(Pipeline(name, "v1") with { Concurrency = 2 }, Alice, Ct);
        var stale = Run(name, Unique());
        var fresh = Run(name, Unique());
        await Store.AddRunAsync(stale, Alice, Ct);
        await Store.AddRunAsync(fresh, Alice, Ct);
        Assert.True(await Store.TryStartRunAsync(stale.Id, 2, "dead-replica", Now, Ct));
        Assert.True(await Store.TryStartRunAsync(fresh.Id, 2, "live-replica", Now, Ct));
        var claimed = await Store.GetRunAsync(stale.Id, Ct);

        await Store.HeartbeatRunsAsync([fresh.Id], Now + 60_000, Ct);
        var failed = await Store.FailStaleRunsAsync(Now + 30_000, "stopped responding", Now + 61_000, Ct);
        await Store.HeartbeatRunsAsync([stale.Id], Now + 62_000, Ct); // too late: a failed run's heartbeat does not move
        var staleAfter = await Store.GetRunAsync(stale.Id, Ct);
        var freshAfter = await Store.GetRunAsync(fresh.Id, Ct);

        Assert.Equal((long?)Now, claimed!.HeartbeatTime);
        Assert.Contains(failed, r => r.Id == stale.Id && r.Replica == "dead-replica");
        Assert.DoesNotContain(failed, r => r.Id == fresh.Id);
        Assert.Equal((PipelineRunStates.Failed, "stopped responding", (long?)(Now + 61_000), (long?)Now),
            (staleAfter!.Status, staleAfter.Error, staleAfter.EndTime, staleAfter.HeartbeatTime));
        Assert.Equal((PipelineRunStates.Running, (string?)null, (long?)(Now + 60_000)), (freshAfter!.Status, freshAfter.Error, freshAfter.HeartbeatTime));
        var again = await Store.FailStaleRunsAsync(Now + 30_000, "stopped responding", Now + 63_000, Ct);
        Assert.DoesNotContain(again, r => r.Id == fresh.Id || r.Id == stale.Id);
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
        var failed = await Store.FailStaleRunsAsync(Now + 1, "stopped responding", Now + 9, Ct);
        await Store.PutCachedStepAsync(new PipelineStepCacheRecord(name, "key", "{\"x\":\"1\"}", run.Id, Now), Ct);
        await Store.PutCachedStepAsync(new PipelineStepCacheRecord(name, "key", "{\"x\":\"2\"}", run.Id, Now + 1), Ct);
        var read = await Store.GetRunAsync(run.Id, Ct);

        Assert.Contains(failed, r => r.Id == run.Id);
        Assert.Equal((PipelineRunStates.Failed, "stopped responding", (long?)(Now + 9), "[{\"step_id\":\"a\"}]"), (read!.Status, read.Error, read.EndTime, read.Steps));
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
