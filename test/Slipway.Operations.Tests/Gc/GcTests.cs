using Slipway.Client;
using Slipway.Operations.Tests.Support;

namespace Slipway.Operations.Tests.Gc;

/// <summary>
/// <c>slipway gc</c> against a running server's store and artifact folder: what was deleted longer ago than the
/// retention period goes with all its rows and files; newer deletions, active runs and runs a model version was
/// registered from stay; a dry run changes nothing; every purge is in the audit trail under <c>slipway-gc</c>.
/// </summary>
public abstract class GcTests : GcTestBase
{
    [Fact]
    public async Task Gc_OldDeletedRun_PurgedWithRowsAndArtifacts_NewerDeletionsAndActiveRunsUntouched()
    {
        var experimentId = await Client.CreateExperimentAsync("gc-runs");
        var old = await CreateRunWithDataAsync(experimentId, "old");
        var recent = await CreateRunWithDataAsync(experimentId, "recent");
        var active = await CreateRunWithDataAsync(experimentId, "active");
        await Client.DeleteRunAsync(old);
        await Client.DeleteRunAsync(recent);
        await BackdateRunDeletionAsync(old, days: 40);
        await BackdateRunDeletionAsync(recent, days: 10);

        var result = await GcAsync("--older-than", "30d");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Purged 0 experiment(s) and 1 run(s)", result.Out, StringComparison.Ordinal);
        Assert.Contains(old, result.Out, StringComparison.Ordinal);
        await AssertRunGoneAsync(old);
        Assert.False(Directory.Exists(Path.Combine(ArtifactsRoot, experimentId, old)), "The purged run's artifact folder is still there.");
        foreach (var kept in new[] { recent, active })
        {
            await AssertRunFullyPresentAsync(kept);
            Assert.True(File.Exists(RunArtifactFile(experimentId, kept)));
        }
        Assert.Equal(1, await StoreSql.ScalarAsync(StoreUri, $"SELECT count(*) FROM datasets WHERE name = 'train-old'"));
        var purged = Assert.Single(await AuditEventsAsync("runs/" + old, "run.purged"));
        Assert.Equal("slipway-gc", purged.Actor);
        await Assert.ThrowsAsync<SlipwayApiException>(() => Client.GetRunAsync(old));
    }

    [Fact]
    public async Task Gc_DryRun_ListsWhatWouldGoAndChangesNothing()
    {
        var experimentId = await Client.CreateExperimentAsync("gc-dry");
        var old = await CreateRunWithDataAsync(experimentId, "old");
        var oldExperiment = await Client.CreateExperimentAsync("gc-dry-experiment");
        var inOldExperiment = await CreateRunWithDataAsync(oldExperiment, "inside");
        await Client.DeleteRunAsync(old);
        await Client.DeleteExperimentAsync(oldExperiment);
        await BackdateRunDeletionAsync(old, days: 40);
        await BackdateExperimentDeletionAsync(oldExperiment, days: 40);
        var rowsBefore = await RunRowsAsync(old);

        var result = await GcAsync("--older-than", "30d", "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Would purge 1 experiment(s) and 1 run(s)", result.Out, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", result.Out, StringComparison.Ordinal);
        Assert.Contains($"run {old}", result.Out, StringComparison.Ordinal);
        Assert.Contains($"experiment {oldExperiment}", result.Out, StringComparison.Ordinal);
        Assert.Equal(rowsBefore, await RunRowsAsync(old));
        await AssertRunFullyPresentAsync(inOldExperiment);
        Assert.True(File.Exists(RunArtifactFile(experimentId, old)));
        Assert.True(File.Exists(RunArtifactFile(oldExperiment, inOldExperiment)));
        Assert.Empty(await AuditEventsAsync("runs/" + old, "run.purged"));
        Assert.Equal("gc-dry-experiment", (await Client.GetExperimentAsync(oldExperiment)).Name);
    }

    [Fact]
    public async Task Gc_OldDeletedExperiment_PurgedWithItsRunsTagsDatasetsAndArtifactRoot()
    {
        var experimentId = await Client.CreateExperimentAsync("gc-experiment");
        await Client.SetExperimentTagAsync(experimentId, "owner", "ml-team");
        var first = await CreateRunWithDataAsync(experimentId, "first");
        var second = await CreateRunWithDataAsync(experimentId, "second");
        var survivor = await Client.CreateExperimentAsync("gc-experiment-survivor");
        var survivorRun = await CreateRunWithDataAsync(survivor, "survivor");
        await Client.DeleteExperimentAsync(experimentId);
        await BackdateExperimentDeletionAsync(experimentId, days: 31);

        var result = await GcAsync("--older-than", "30d");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Purged 1 experiment(s) and 0 run(s)", result.Out, StringComparison.Ordinal);
        await AssertRunGoneAsync(first);
        await AssertRunGoneAsync(second);
        foreach (var table in new[] { "experiments", "experiment_tags", "datasets" })
            Assert.Equal(0, await StoreSql.ScalarAsync(StoreUri, $"SELECT count(*) FROM {table} WHERE experiment_id = {experimentId}"));
        Assert.False(Directory.Exists(Path.Combine(ArtifactsRoot, experimentId)), "The purged experiment's artifact root is still there.");
        await AssertRunFullyPresentAsync(survivorRun);
        Assert.True(File.Exists(RunArtifactFile(survivor, survivorRun)));
        Assert.Equal("slipway-gc", Assert.Single(await AuditEventsAsync("experiments/" + experimentId, "experiment.purged")).Actor);
        Assert.Single(await AuditEventsAsync("runs/" + first, "run.purged"));
        Assert.Single(await AuditEventsAsync("runs/" + second, "run.purged"));
        // The name is free again, as after MLflow's gc.
        Assert.NotEqual(experimentId, await Client.CreateExperimentAsync("gc-experiment"));
    }

    [Fact]
    public async Task Gc_RunsAModelVersionWasRegisteredFrom_KeptUntilTheVersionIsDeleted()
    {
        var experimentId = await Client.CreateExperimentAsync("gc-registry");
        var byRunId = await CreateRunWithDataAsync(experimentId, "by-run-id");
        var bySource = await CreateRunWithDataAsync(experimentId, "by-source");
        await Client.CreateRegisteredModelAsync("gc-model");
        await Client.CreateModelVersionAsync("gc-model", $"runs:/{byRunId}/model", byRunId);
        await Client.CreateModelVersionAsync("gc-model", $"mlflow-artifacts:/{experimentId}/{bySource}/artifacts/model");
        foreach (var run in new[] { byRunId, bySource })
        {
            await Client.DeleteRunAsync(run);
            await BackdateRunDeletionAsync(run, days: 60);
        }

        var kept = await GcAsync("--older-than", "30d");

        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Contains("Purged 0 experiment(s) and 0 run(s)", kept.Out, StringComparison.Ordinal);
        Assert.Contains("gc-model/1", kept.Out, StringComparison.Ordinal);
        Assert.Contains("gc-model/2", kept.Out, StringComparison.Ordinal);
        await AssertRunFullyPresentAsync(byRunId);
        Assert.True(File.Exists(RunArtifactFile(experimentId, byRunId)));
        Assert.True(File.Exists(RunArtifactFile(experimentId, bySource)));
        Assert.EndsWith($"{byRunId}/artifacts/model", await Client.GetModelVersionDownloadUriAsync("gc-model", "1"), StringComparison.Ordinal);

        await Client.DeleteModelVersionAsync("gc-model", "1");
        var purged = await GcAsync("--older-than", "30d");

        Assert.True(purged.ExitCode == 0, purged.ToString());
        Assert.Contains("Purged 0 experiment(s) and 1 run(s)", purged.Out, StringComparison.Ordinal);
        await AssertRunGoneAsync(byRunId);
        Assert.False(File.Exists(RunArtifactFile(experimentId, byRunId)));
        await AssertRunFullyPresentAsync(bySource);
        Assert.True(File.Exists(RunArtifactFile(experimentId, bySource)));
    }

    [Fact]
    public async Task Gc_NamedRunsNotAllPurgeable_RefusesAndPurgesNothing()
    {
        var experimentId = await Client.CreateExperimentAsync("gc-named");
        var old = await CreateRunWithDataAsync(experimentId, "old");
        var recent = await CreateRunWithDataAsync(experimentId, "recent");
        var active = await CreateRunWithDataAsync(experimentId, "active");
        await Client.DeleteRunAsync(old);
        await Client.DeleteRunAsync(recent);
        await BackdateRunDeletionAsync(old, days: 40);

        var refused = await GcAsync("--older-than", "30d", "--run-ids", $"{old},{recent},{active}");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"run {recent} was deleted less than 30d ago", refused.Error, StringComparison.Ordinal);
        Assert.Contains($"run {active} is not deleted", refused.Error, StringComparison.Ordinal);
        await AssertRunFullyPresentAsync(old);

        var named = await GcAsync("--older-than", "30d", "--run-ids", old);

        Assert.True(named.ExitCode == 0, named.ToString());
        await AssertRunGoneAsync(old);
        await AssertRunFullyPresentAsync(recent);
    }

    [Fact]
    public async Task Gc_InvalidRetentionPeriod_IsAUsageError()
    {
        var result = await GcAsync("--older-than", "thirty days");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Invalid retention period", result.Error, StringComparison.Ordinal);
    }
}
