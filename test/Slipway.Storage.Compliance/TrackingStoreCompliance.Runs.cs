using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Compliance;

public abstract partial class TrackingStoreCompliance
{
    [Fact]
    public async Task CreateRun_WithTags_GetRunReturnsInfoAndTags()
    {
        var experimentId = await CreateExperimentAsync();
        var runId = await CreateRunAsync(experimentId, "first-run", Now + 7, "bob", new Tag("mlflow.user", "bob"), new Tag("k", "v"));

        var run = await GetRunAsync(runId);

        var expected = new RunInfo(runId, experimentId, "first-run", "bob", RunStatus.Running, Now + 7, null,
            $"mlflow-artifacts:/{experimentId}/{runId}/artifacts", LifecycleStage.Active);
        Assert.Equal(expected, run.Info);
        Assert.Equal(expected, await Store.GetRunInfoAsync(runId, Ct));
        Assert.Equal([new Tag("k", "v"), new Tag("mlflow.user", "bob")], run.Tags.OrderBy(t => t.Key, StringComparer.Ordinal));
        Assert.Empty(run.Metrics);
        Assert.Empty(run.Params);
        Assert.Empty(run.Inputs);
    }

    [Fact]
    public async Task CreateRun_ExperimentWithArtifactLocation_RunArtifactUriIsUnderIt()
    {
        var experimentId = await Store.CreateExperimentAsync(Unique("exp"), "s3://bucket/root/", [], Now, Ct);

        var runId = await CreateRunAsync(experimentId);

        Assert.Equal($"s3://bucket/root/{runId}/artifacts", (await GetRunAsync(runId)).Info.ArtifactUri);
    }

    [Fact]
    public async Task CreateRun_UnknownExperiment_ThrowsResourceDoesNotExist() =>
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => CreateRunAsync("987654"));

    [Fact]
    public async Task GetRun_UnknownId_ReturnsNull()
    {
        Assert.Null(await Store.GetRunAsync(Guid.NewGuid().ToString("N"), Ct));
        Assert.Null(await Store.GetRunInfoAsync(Guid.NewGuid().ToString("N"), Ct));
    }

    [Fact]
    public async Task UpdateRun_StatusEndTimeAndName_ArePersistedAndReturned()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync(), "before");

        var returned = await Store.UpdateRunAsync(runId, new RunUpdate(RunStatus.Finished, Now + 100, "after"), Ct);

        var run = await GetRunAsync(runId);
        Assert.Equal(returned, run.Info);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Equal(Now + 100, run.Info.EndTime);
        Assert.Equal("after", run.Info.RunName);
        Assert.Contains(new Tag("mlflow.runName", "after"), run.Tags);
    }

    [Fact]
    public async Task UpdateRun_AllFieldsNull_LeavesRunUnchanged()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync(), "same");
        var before = (await GetRunAsync(runId)).Info;

        var returned = await Store.UpdateRunAsync(runId, new RunUpdate(null, null, null), Ct);

        Assert.Equal(before, returned);
        Assert.Equal(before, (await GetRunAsync(runId)).Info);
    }

    [Fact]
    public async Task UpdateRun_UnknownRun_ThrowsResourceDoesNotExist() =>
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist,
            () => Store.UpdateRunAsync(Guid.NewGuid().ToString("N"), new RunUpdate(RunStatus.Failed, null, null), Ct));

    [Fact]
    public async Task UpdateRun_DeletedRun_ThrowsInvalidParameterValue()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());
        await Store.SetRunLifecycleAsync(runId, LifecycleStage.Deleted, Now, AuditContext.System, Ct);

        await AssertErrorAsync(ErrorCode.InvalidParameterValue, () => Store.UpdateRunAsync(runId, new RunUpdate(RunStatus.Killed, null, null), Ct));

        Assert.Equal(RunStatus.Running, (await GetRunAsync(runId)).Info.Status);
    }

    [Fact]
    public async Task SetRunLifecycle_DeleteThenRestore_ChangesStageOnly()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());
        var before = (await GetRunAsync(runId)).Info;

        await Store.SetRunLifecycleAsync(runId, LifecycleStage.Deleted, Now + 1, AuditContext.System, Ct);
        var deleted = (await GetRunAsync(runId)).Info;
        await Store.SetRunLifecycleAsync(runId, LifecycleStage.Active, Now + 2, AuditContext.System, Ct);
        var restored = (await GetRunAsync(runId)).Info;

        Assert.Equal(before with { LifecycleStage = LifecycleStage.Deleted }, deleted);
        Assert.Equal(before, restored);
    }

    [Fact]
    public async Task SetRunLifecycle_UnknownRun_ThrowsResourceDoesNotExist() =>
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist,
            () => Store.SetRunLifecycleAsync(Guid.NewGuid().ToString("N"), LifecycleStage.Deleted, Now, AuditContext.System, Ct));

    [Fact]
    public async Task DeleteTag_ExistingKey_RemovesOnlyThatTag()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync(), tags: [new Tag("keep", "1"), new Tag("drop", "2")]);

        await Store.DeleteTagAsync(runId, "drop", Now, AuditContext.System, Ct);

        Assert.Equal([new Tag("keep", "1")], (await GetRunAsync(runId)).Tags);
    }

    [Fact]
    public async Task DeleteTag_MissingKey_ThrowsResourceDoesNotExist()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync(), tags: [new Tag("keep", "1")]);

        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.DeleteTagAsync(runId, "absent", Now, AuditContext.System, Ct));

        Assert.Equal([new Tag("keep", "1")], (await GetRunAsync(runId)).Tags);
    }

    [Fact]
    public async Task DeleteTag_UnknownRun_ThrowsResourceDoesNotExist() =>
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.DeleteTagAsync(Guid.NewGuid().ToString("N"), "k", Now, AuditContext.System, Ct));

    [Fact]
    public async Task LogInputs_SameDatasetTwice_KeepsFirstInputAndItsTags()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());
        var dataset = new Dataset("train", "d1", "local", "{\"uri\":\"/data\"}", "{\"cols\":[]}", null);

        await Store.LogInputsAsync(runId, [new DatasetInput([new Tag("mlflow.data.context", "training")], dataset)], Ct);
        await Store.LogInputsAsync(runId, [new DatasetInput([new Tag("mlflow.data.context", "eval")], dataset)], Ct);

        var input = Assert.Single((await GetRunAsync(runId)).Inputs);
        Assert.Equal(dataset, input.Dataset);
        Assert.Equal([new Tag("mlflow.data.context", "training")], input.Tags);
    }

    [Fact]
    public async Task LogInputs_SameDatasetTwiceInOneCall_KeepsOneInput()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());
        var dataset = new Dataset("train", "d1", "local", "/data", null, null);

        await Store.LogInputsAsync(runId, [new DatasetInput([new Tag("a", "1")], dataset), new DatasetInput([new Tag("a", "2")], dataset)], Ct);

        var input = Assert.Single((await GetRunAsync(runId)).Inputs);
        Assert.Equal([new Tag("a", "1")], input.Tags);
    }

    [Fact]
    public async Task LogInputs_DifferentDatasets_AreKeptInLoggingOrder()
    {
        var experimentId = await CreateExperimentAsync();
        var runId = await CreateRunAsync(experimentId);
        var other = await CreateRunAsync(experimentId);
        var train = new Dataset("train", "d1", "local", "/train", null, "{\"rows\":10}");
        var eval = new Dataset("eval", "d2", "http", "https://x/eval", null, null);
        var trainNewVersion = train with { Digest = "d3" };

        await Store.LogInputsAsync(runId, [new DatasetInput([], train), new DatasetInput([], eval)], Ct);
        await Store.LogInputsAsync(runId, [new DatasetInput([], trainNewVersion)], Ct);
        await Store.LogInputsAsync(other, [new DatasetInput([], eval)], Ct);

        Assert.Equal([train, eval, trainNewVersion], (await GetRunAsync(runId)).Inputs.Select(i => i.Dataset));
        Assert.Equal([eval], (await GetRunAsync(other)).Inputs.Select(i => i.Dataset));
    }

    [Fact]
    public async Task LogInputs_DeletedRun_ThrowsInvalidParameterValue()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());
        await Store.SetRunLifecycleAsync(runId, LifecycleStage.Deleted, Now, AuditContext.System, Ct);

        await AssertErrorAsync(ErrorCode.InvalidParameterValue,
            () => Store.LogInputsAsync(runId, [new DatasetInput([], new Dataset("n", "d", "local", "/x", null, null))], Ct));
    }
}
