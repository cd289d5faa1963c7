using Slipway.Client;
using Xunit.Abstractions;
using Slipway.Operations.Tests.Support;
using Slipway.Testing;

namespace Slipway.Operations.Tests.Backup;

/// <summary>
/// The check: "backup taken while writes are running restores to a consistent database". A real server takes
/// concurrent writers; <c>slipway db backup</c> runs as its own process in the middle; the backup is restored into a
/// new store with <c>slipway db restore</c>, checked below the API, and served by a second server.
/// </summary>
public abstract class BackupUnderLoadTests(ITestOutputHelper output)
{
    private const int Writers = 4;

    /// <summary>A new, empty store (the backup's source, or the restore's target).</summary>
    protected abstract Task<string> CreateStoreAsync();

    /// <summary>Checks only one provider can make (SQLite's integrity_check).</summary>
    protected virtual Task AssertProviderIntegrityAsync(string restoredUri) => Task.CompletedTask;

    /// <summary>Lets go of connections that this process still pools to a store whose server has stopped.</summary>
    protected abstract void ReleasePooledConnections(string uri);

    [Fact]
    public async Task Backup_WhileWritesAreRunning_RestoresToConsistentDatabase()
    {
        var sourceUri = await CreateStoreAsync();
        var targetUri = await CreateStoreAsync();
        var folder = Directory.CreateTempSubdirectory("slipway-backup-test-");
        try
        {
            var backupFile = Path.Combine(folder.FullName, "backup", "slipway.backup");
            Dictionary<string, int> acknowledgedBefore, sentAfter;
            string experimentId;
            await using (var server = await SlipwayTestServer.StartAsync(sourceUri))
            {
                using var client = new SlipwayClient(server.BaseAddress);
                experimentId = await client.CreateExperimentAsync("under-load");
                await using var load = new WriteLoad(client, experimentId, Writers, batchesPerRun: 8);
                load.Start();
                await load.WaitForAcknowledgedAsync(40);

                acknowledgedBefore = load.SnapshotAcknowledged();
                var backup = await SlipwayCli.RunProcessAsync("db", "backup", "--backend-store-uri", sourceUri, "--out", backupFile);
                sentAfter = load.SnapshotSent();
                await load.StopAsync();

                Assert.True(backup.ExitCode == 0, backup.ToString());
                Assert.Contains("written to " + backupFile, backup.Out, StringComparison.Ordinal);
                Assert.True(sentAfter.Values.Sum() > acknowledgedBefore.Values.Sum(), "No write was sent while the backup ran, so the test proved nothing.");
            }
            ReleasePooledConnections(sourceUri);

            // A backup file replaced atomically leaves no temporary file beside it.
            Assert.Equal([backupFile], Directory.GetFiles(Path.GetDirectoryName(backupFile)!));
            var restore = await SlipwayCli.RunAsync("db", "restore", "--backend-store-uri", targetUri, "--from", backupFile, "--force");
            Assert.True(restore.ExitCode == 0, restore.ToString());

            await AssertProviderIntegrityAsync(targetUri);
            var restoredBatches = await RestoredStoreChecks.AssertConsistentAsync(targetUri, experimentId, acknowledgedBefore, sentAfter);
            output.WriteLine($"batches acknowledged before the backup: {acknowledgedBefore.Values.Sum()}, in the backup: {restoredBatches}, sent by its end: {sentAfter.Values.Sum()}");
            await AssertServedAsync(targetUri, experimentId, acknowledgedBefore);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A second server opens the restored store, reads back what was acknowledged, and takes new writes.</summary>
    private static async Task AssertServedAsync(string restoredUri, string experimentId, IReadOnlyDictionary<string, int> acknowledgedBefore)
    {
        await using var server = await SlipwayTestServer.StartAsync(restoredUri);
        using var client = new SlipwayClient(server.BaseAddress);
        foreach (var (runId, batches) in acknowledgedBefore.Where(r => r.Value > 0).Take(8))
        {
            var history = await client.GetMetricHistoryAsync(runId, "loss");
            Assert.True(history.Count >= batches * WriteLoad.MetricsPerBatch, $"Run {runId}: {history.Count} history rows served, {batches} batches were acknowledged before the backup.");
            var run = await client.GetRunAsync(runId);
            Assert.Equal(history.Max(m => m.Step), run.Data.Metrics.Single(m => m.Key == "loss").Step);
        }
        var fresh = await client.CreateRunAsync(experimentId, "after-restore");
        await client.LogBatchAsync(fresh.Info.RunId, [new Metric("loss", 0.5, 1, 0)]);
        Assert.Equal("after-restore", (await client.GetRunAsync(fresh.Info.RunId)).Info.RunName);
        var newExperiment = await client.CreateExperimentAsync("created-after-restore");
        Assert.NotEqual(experimentId, newExperiment);
    }
}
