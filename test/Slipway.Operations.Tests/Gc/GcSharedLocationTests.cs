using Slipway.Operations.Tests.Support;

namespace Slipway.Operations.Tests.Gc;

/// <summary>
/// What an experiment's purge must leave alone: an artifact root that another experiment's files live in (however its
/// URI spells the folder), model-version sources under the root that are not in a run folder, runs a monitor reads
/// reference data from, and experiments with a run deleted again more recently than the retention period. Also that
/// a gc pointed at the wrong artifact store says it found nothing.
/// </summary>
public abstract class GcSharedLocationTests : GcTestBase
{
    [Fact]
    public async Task Gc_ActiveExperimentLivesUnderDeletedRootThroughAnAliasedUri_RootAndItsFilesKept()
    {
        var deleted = await Client.CreateExperimentAsync("gc-alias-deleted");
        // Same store folder as '<deleted>/team', spelled with an authority and a percent-escape.
        var escaped = string.Concat(deleted.Select(c => $"%{(int)c:X2}"));
        var active = await Client.CreateExperimentAsync("gc-alias-active", $"mlflow-artifacts://mlflow.internal/{escaped}/team");
        var activeRun = await CreateRunWithDataAsync(active, "lives-under-the-deleted-root");
        var activeFile = Path.Combine(ArtifactsRoot, deleted, "team", activeRun, "artifacts", "model", "MLmodel");
        Assert.True(File.Exists(activeFile), "The aliased experiment's run did not write under the deleted experiment's folder.");
        await Client.DeleteExperimentAsync(deleted);
        await BackdateExperimentDeletionAsync(deleted, days: 40);

        var result = await GcAsync("--older-than", "30d");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Purged 1 experiment(s)", result.Out, StringComparison.Ordinal);
        Assert.Contains($"artifact root mlflow-artifacts:/{deleted} left in place (experiment {active} uses the same folder)", result.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(activeFile), "gc deleted an active experiment's artifacts.");
        await AssertRunFullyPresentAsync(activeRun);
    }

    [Fact]
    public async Task Gc_ModelVersionSourceUnderExperimentRootOutsideAnyRun_RootKept()
    {
        var experimentId = await Client.CreateExperimentAsync("gc-shared-models");
        var run = await CreateRunWithDataAsync(experimentId, "run");
        var modelFile = Path.Combine(ArtifactsRoot, experimentId, "shared-models", "m1", "MLmodel");
        Directory.CreateDirectory(Path.GetDirectoryName(modelFile)!);
        await File.WriteAllTextAsync(modelFile, "flavors: {}\n");
        await Client.CreateRegisteredModelAsync("gc-shared");
        await Client.CreateModelVersionAsync("gc-shared", $"mlflow-artifacts:/{experimentId}/shared-models/m1");
        await Client.DeleteExperimentAsync(experimentId);
        await BackdateExperimentDeletionAsync(experimentId, days: 40);

        var result = await GcAsync("--older-than", "30d");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Purged 1 experiment(s)", result.Out, StringComparison.Ordinal);
        Assert.Contains("model version gc-shared/1 serves from", result.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(modelFile), "gc deleted a registered model version's files.");
        await AssertRunGoneAsync(run);
        Assert.False(Directory.Exists(Path.Combine(ArtifactsRoot, experimentId, run)), "The purged run's own folder is still there.");
    }

    [Fact]
    public async Task Gc_RunAMonitorReadsReferenceDataFrom_KeptWithTheMonitorNamed()
    {
        var experimentId = await Client.CreateExperimentAsync("gc-monitor");
        var reference = await CreateRunWithDataAsync(experimentId, "reference");
        var inExperiment = await Client.CreateExperimentAsync("gc-monitor-experiment");
        var referenceInExperiment = await CreateRunWithDataAsync(inExperiment, "reference-2");
        foreach (var (name, runId) in new[] { ("drift-a", reference), ("drift-b", referenceInExperiment) })
        {
            // The row as the monitor store writes it; the spec is JSON with the reference location in it.
            await StoreSql.ExecuteAsync(StoreUri,
                "INSERT INTO monitors (name, endpoint, spec, next_run_time, creation_time, last_updated_time) "
                + $"VALUES ('{name}', 'ep', '{{\"reference\":{{\"location\":\"runs:/{runId}/reference.csv\"}}}}', NULL, 0, 0)");
        }
        await Client.DeleteRunAsync(reference);
        await BackdateRunDeletionAsync(reference, days: 40);
        await Client.DeleteExperimentAsync(inExperiment);
        await BackdateExperimentDeletionAsync(inExperiment, days: 40);

        var result = await GcAsync("--older-than", "30d");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Purged 0 experiment(s) and 0 run(s)", result.Out, StringComparison.Ordinal);
        Assert.Contains("referenced by monitor(s) drift-a", result.Out, StringComparison.Ordinal);
        Assert.Contains("referenced by monitor(s) drift-b", result.Out, StringComparison.Ordinal);
        await AssertRunFullyPresentAsync(reference);
        await AssertRunFullyPresentAsync(referenceInExperiment);
        Assert.True(File.Exists(RunArtifactFile(experimentId, reference)));
    }

    [Fact]
    public async Task Gc_ExperimentWithARunDeletedAgainRecently_Kept()
    {
        var experimentId = await Client.CreateExperimentAsync("gc-redeleted");
        var old = await CreateRunWithDataAsync(experimentId, "old");
        var redeleted = await CreateRunWithDataAsync(experimentId, "redeleted");
        await Client.DeleteExperimentAsync(experimentId);
        await BackdateExperimentDeletionAsync(experimentId, days: 40);
        // Restored and deleted again yesterday: its own retention period has barely started.
        await BackdateRunDeletionAsync(redeleted, days: -39);

        var result = await GcAsync("--older-than", "30d");

        Assert.True(result.ExitCode == 0, result.ToString());
        // The experiment stays; its run deleted long enough ago goes on its own, as any deleted run does.
        Assert.Contains("Purged 0 experiment(s) and 1 run(s)", result.Out, StringComparison.Ordinal);
        Assert.Contains("1 run(s) in it were deleted more recently than the retention period", result.Out, StringComparison.Ordinal);
        await AssertRunGoneAsync(old);
        await AssertRunFullyPresentAsync(redeleted);
        Assert.True(File.Exists(RunArtifactFile(experimentId, redeleted)));
    }

    [Fact]
    public async Task Gc_ArtifactsDestinationThatIsNotTheServersStore_WarnsForEachPathWithNothingThere()
    {
        var experimentId = await Client.CreateExperimentAsync("gc-wrong-store");
        var run = await CreateRunWithDataAsync(experimentId, "run");
        await Client.DeleteRunAsync(run);
        await BackdateRunDeletionAsync(run, days: 40);
        var elsewhere = Directory.CreateTempSubdirectory("slipway-gc-wrong-store-");
        try
        {
            var result = await SlipwayCli.RunAsync("gc", "--backend-store-uri", StoreUri, "--artifacts-destination", elsewhere.FullName, "--older-than", "30d");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains($"Warning: run {run}: no artifacts found at '{experimentId}/{run}/artifacts'", result.Out, StringComparison.Ordinal);
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }
}

/// <summary><see cref="GcSharedLocationTests"/> on SQLite.</summary>
public sealed class SqliteGcSharedLocationTests : GcSharedLocationTests
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("slipway-gc-shared-sqlite-");

    protected override Task<string> CreateStoreAsync() =>
        Task.FromResult("sqlite:///" + Path.Combine(_folder.FullName, "slipway.db"));

    protected override Task DropStoreAsync()
    {
        StoreSql.ReleaseSqlitePool(StoreUri);
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary><see cref="GcSharedLocationTests"/> on PostgreSQL.</summary>
public sealed class PostgresGcSharedLocationTests : GcSharedLocationTests
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
}
