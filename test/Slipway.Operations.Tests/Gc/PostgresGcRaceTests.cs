using Npgsql;
using Slipway.Operations.Tests.Support;

namespace Slipway.Operations.Tests.Gc;

/// <summary>
/// gc against a restore on PostgreSQL, where writers are not serialized. The restore's UPDATE is held open in a
/// transaction of its own; gc is started and the test waits until PostgreSQL reports gc's session waiting for that
/// row lock (so the order is fixed, not timed), then commits the restore. Without the purge's row lock and conditional
/// delete, gc had already read the run as deleted and removed its child rows, and its final DELETE (filtered on the id
/// only) then removed the restored run as well.
/// </summary>
public sealed class PostgresGcRaceTests : GcTestBase
{
    private PostgresDatabase? _database;

    protected override async Task<string> CreateStoreAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        return _database.Uri;
    }

    protected override async Task DropStoreAsync()
    {
        if (_database is not null)
            await _database.DisposeAsync();
    }

    [Fact]
    public async Task Gc_RunRestoredWhileGcWaitsForItsRow_RunAndArtifactsKept()
    {
        var experimentId = await Client.CreateExperimentAsync("gc-race");
        var runId = await CreateRunWithDataAsync(experimentId, "restored-mid-purge");
        await Client.DeleteRunAsync(runId);
        await BackdateRunDeletionAsync(runId, days: 40);

        await using var restore = (NpgsqlConnection)await StoreSql.OpenAsync(StoreUri);
        await using var transaction = await restore.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand($"UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = '{runId}'", restore, transaction))
            Assert.Equal(1, await update.ExecuteNonQueryAsync());

        var gc = GcAsync("--older-than", "30d");
        await WaitForSessionWaitingOnLockAsync(gc);
        await transaction.CommitAsync();
        var result = await gc;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Purged 0 experiment(s) and 0 run(s)", result.Out, StringComparison.Ordinal);
        Assert.Contains("changed since it was listed", result.Out, StringComparison.Ordinal);
        await AssertRunFullyPresentAsync(runId);
        Assert.True(File.Exists(RunArtifactFile(experimentId, runId)), "gc deleted a restored run's artifacts.");
        Assert.Equal("active", (await Client.GetRunAsync(runId)).Info.LifecycleStage);
    }

    /// <summary>Polls pg_stat_activity until another session of this database waits on a lock (gc on the run row).</summary>
    private async Task WaitForSessionWaitingOnLockAsync(Task<CliResult> gc)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (gc.IsCompleted)
                Assert.Fail("gc finished without waiting for the restore's row lock: " + await gc);
            var waiting = await StoreSql.ScalarAsync(StoreUri,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
            if (waiting > 0)
                return;
            await Task.Delay(100);
        }
        Assert.Fail("gc never waited for the restore's row lock.");
    }
}
