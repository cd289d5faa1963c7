using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Compliance;

public abstract partial class TrackingStoreCompliance
{
    [Fact]
    public async Task MigrateSlipwayStorage_FreshDatabase_DefaultExperimentZeroExists()
    {
        var byId = await GetExperimentAsync("0");
        var byName = await Store.GetExperimentByNameAsync("Default", Ct);

        Assert.Equal("Default", byId.Name);
        Assert.Equal(LifecycleStage.Active, byId.LifecycleStage);
        Assert.Equal("mlflow-artifacts:/0", byId.ArtifactLocation);
        Assert.Equal("0", byName?.ExperimentId);
    }

    [Fact]
    public async Task CreateExperiment_WithTagsAndNoLocation_IsReadableByIdAndName()
    {
        var name = Unique("exp");

        var id = await Store.CreateExperimentAsync(name, null, [new Tag("team", "vision"), new Tag("owner", "ana")], Now, Ct);

        var experiment = await GetExperimentAsync(id);
        Assert.NotEqual("0", id);
        Assert.Equal(name, experiment.Name);
        Assert.Equal($"mlflow-artifacts:/{id}", experiment.ArtifactLocation);
        Assert.Equal(LifecycleStage.Active, experiment.LifecycleStage);
        Assert.Equal(Now, experiment.CreationTime);
        Assert.Equal(Now, experiment.LastUpdateTime);
        Assert.Equal([new Tag("owner", "ana"), new Tag("team", "vision")], experiment.Tags.OrderBy(t => t.Key, StringComparer.Ordinal));
        Assert.Equal(experiment, await Store.GetExperimentByNameAsync(name, Ct), ExperimentComparer.Instance);
    }

    [Fact]
    public async Task CreateExperiment_WithArtifactLocation_KeepsLocation()
    {
        var id = await Store.CreateExperimentAsync(Unique("exp"), "s3://bucket/path", [], Now, Ct);

        Assert.Equal("s3://bucket/path", (await GetExperimentAsync(id)).ArtifactLocation);
    }

    [Fact]
    public async Task CreateExperiment_TwoExperiments_GetDistinctIds()
    {
        var first = await CreateExperimentAsync();
        var second = await CreateExperimentAsync();

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task CreateExperiment_DuplicateName_ThrowsResourceAlreadyExists()
    {
        var name = Unique("exp");
        await CreateExperimentAsync(name);

        var error = await AssertErrorAsync(ErrorCode.ResourceAlreadyExists, () => CreateExperimentAsync(name));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateExperiment_NameDiffersOnlyInCase_IsADifferentExperiment()
    {
        var name = Unique("Case");
        var upper = await CreateExperimentAsync(name);

        var lower = await CreateExperimentAsync(name.ToLowerInvariant());

        Assert.NotEqual(upper, lower);
        Assert.Equal(upper, (await Store.GetExperimentByNameAsync(name, Ct))?.ExperimentId);
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("not-a-number")]
    [InlineData("-1")]
    public async Task GetExperiment_UnknownOrMalformedId_ReturnsNull(string id) =>
        Assert.Null(await Store.GetExperimentAsync(id, Ct));

    [Fact]
    public async Task GetExperimentByName_UnknownName_ReturnsNull() =>
        Assert.Null(await Store.GetExperimentByNameAsync(Unique("missing"), Ct));

    [Fact]
    public async Task RenameExperiment_NewName_UpdatesNameAndLastUpdateTime()
    {
        var oldName = Unique("old");
        var newName = Unique("new");
        var id = await CreateExperimentAsync(oldName);

        await Store.RenameExperimentAsync(id, newName, Now + 5, Ct);

        var experiment = await GetExperimentAsync(id);
        Assert.Equal(newName, experiment.Name);
        Assert.Equal(Now + 5, experiment.LastUpdateTime);
        Assert.Equal(Now, experiment.CreationTime);
        Assert.Null(await Store.GetExperimentByNameAsync(oldName, Ct));
        Assert.Equal(id, (await Store.GetExperimentByNameAsync(newName, Ct))?.ExperimentId);
    }

    [Fact]
    public async Task RenameExperiment_ToAnotherExperimentsName_ThrowsResourceAlreadyExists()
    {
        var taken = Unique("taken");
        await CreateExperimentAsync(taken);
        var id = await CreateExperimentAsync();

        await AssertErrorAsync(ErrorCode.ResourceAlreadyExists, () => Store.RenameExperimentAsync(id, taken, Now, Ct));

        Assert.NotEqual(taken, (await GetExperimentAsync(id)).Name);
    }

    [Fact]
    public async Task RenameExperiment_UnknownId_ThrowsResourceDoesNotExist() =>
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.RenameExperimentAsync("987654", Unique("x"), Now, Ct));

    [Fact]
    public async Task SetExperimentLifecycle_DeleteThenRestore_MovesExperimentAndItsRuns()
    {
        var id = await CreateExperimentAsync();
        var runId = await CreateRunAsync(id);

        await Store.SetExperimentLifecycleAsync(id, LifecycleStage.Deleted, Now + 1, AuditContext.System, Ct);
        var deleted = await GetExperimentAsync(id);
        var deletedRun = await GetRunAsync(runId);
        await Store.SetExperimentLifecycleAsync(id, LifecycleStage.Active, Now + 2, AuditContext.System, Ct);
        var restored = await GetExperimentAsync(id);
        var restoredRun = await GetRunAsync(runId);

        Assert.Equal(LifecycleStage.Deleted, deleted.LifecycleStage);
        Assert.Equal(Now + 1, deleted.LastUpdateTime);
        Assert.Equal(LifecycleStage.Deleted, deletedRun.Info.LifecycleStage);
        Assert.Equal(LifecycleStage.Active, restored.LifecycleStage);
        Assert.Equal(LifecycleStage.Active, restoredRun.Info.LifecycleStage);
    }

    [Fact]
    public async Task SetExperimentLifecycle_UnknownId_ThrowsResourceDoesNotExist() =>
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.SetExperimentLifecycleAsync("987654", LifecycleStage.Deleted, Now, AuditContext.System, Ct));

    [Fact]
    public async Task CreateRun_InDeletedExperiment_ThrowsInvalidParameterValue()
    {
        var id = await CreateExperimentAsync();
        await Store.SetExperimentLifecycleAsync(id, LifecycleStage.Deleted, Now, AuditContext.System, Ct);

        await AssertErrorAsync(ErrorCode.InvalidParameterValue, () => CreateRunAsync(id));
    }

    [Fact]
    public async Task SetExperimentTag_NewAndExistingKey_AddsThenOverwrites()
    {
        var id = await CreateExperimentAsync(null, new Tag("stage", "dev"));

        await Store.SetExperimentTagAsync(id, new Tag("stage", "prod"), Ct);
        await Store.SetExperimentTagAsync(id, new Tag("note", "ünïcødé ✓"), Ct);

        var tags = (await GetExperimentAsync(id)).Tags.OrderBy(t => t.Key, StringComparer.Ordinal);
        Assert.Equal([new Tag("note", "ünïcødé ✓"), new Tag("stage", "prod")], tags);
    }

    [Fact]
    public async Task SetExperimentTag_UnknownExperiment_ThrowsResourceDoesNotExist() =>
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.SetExperimentTagAsync("987654", new Tag("k", "v"), Ct));

    [Fact]
    public async Task DeleteExperimentTag_ExistingKey_RemovesOnlyThatTag()
    {
        var id = await CreateExperimentAsync(null, new Tag("keep", "1"), new Tag("drop", "2"));

        await Store.DeleteExperimentTagAsync(id, "drop", Now, AuditContext.System, Ct);

        Assert.Equal([new Tag("keep", "1")], (await GetExperimentAsync(id)).Tags);
    }

    [Fact]
    public async Task DeleteExperimentTag_MissingKey_ThrowsResourceDoesNotExist()
    {
        var id = await CreateExperimentAsync(null, new Tag("keep", "1"));

        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.DeleteExperimentTagAsync(id, "absent", Now, AuditContext.System, Ct));
    }

    /// <summary>Records compare their tag lists by reference; this compares them by content.</summary>
    private sealed class ExperimentComparer : IEqualityComparer<Experiment?>
    {
        public static readonly ExperimentComparer Instance = new();
        private static readonly Tag[] NoTags = [];

        public bool Equals(Experiment? x, Experiment? y) =>
            x is not null && y is not null
            && x with { Tags = NoTags } == y with { Tags = NoTags }
            && x.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).SequenceEqual(y.Tags.OrderBy(t => t.Key, StringComparer.Ordinal));

        public int GetHashCode(Experiment? obj) => obj?.ExperimentId.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
