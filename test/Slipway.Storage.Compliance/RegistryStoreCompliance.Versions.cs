using Slipway.Core.Errors;
using Slipway.Registry.Domain;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Compliance;

public abstract partial class RegistryStoreCompliance
{
    [Fact]
    public async Task CreateModelVersion_New_HasMlflowDefaultsAndMovesModelLastUpdated()
    {
        var name = await CreateModelAsync();

        var created = await Store.CreateModelVersionAsync(
            new NewModelVersion(name, "runs:/abc/model", "abc", null, null, "alice", [new Tag("b", "2"), new Tag("a", "1")]), Now + 7, Alice, Ct);

        var version = await GetVersionAsync(name, 1);
        Assert.Equal(1, created.Version);
        Assert.Equal(ModelStages.None, version.CurrentStage);
        Assert.Equal("READY", version.Status);
        Assert.Equal("", version.Description);
        Assert.Equal("", version.RunLink);
        Assert.Equal("abc", version.RunId);
        Assert.Equal("alice", version.UserId);
        Assert.Equal("runs:/abc/model", version.Source);
        Assert.Equal(Now + 7, version.CreationTimestamp);
        Assert.Equal([new Tag("a", "1"), new Tag("b", "2")], version.Tags);
        Assert.Equal(Now + 7, (await GetModelAsync(name)).LastUpdatedTimestamp);
    }

    [Fact]
    public async Task CreateModelVersion_AfterDeletingTheNewest_NeverReusesItsNumber()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);
        var second = await CreateVersionAsync(name);

        await Store.DeleteModelVersionAsync(name, second, Now + 1, Alice, Ct);
        var third = await CreateVersionAsync(name);

        Assert.Equal(2, second);
        Assert.Equal(3, third);
        Assert.Null(await Store.GetModelVersionAsync(name, 2, Ct));
    }

    [Fact]
    public async Task CreateModelVersion_MissingModel_ThrowsModelNotFound()
    {
        var name = Unique();

        var error = await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => CreateVersionAsync(name));

        Assert.Equal(RegistryErrors.ModelNotFound(name).Message, error.Message);
    }

    [Fact]
    public async Task GetModelVersion_MissingVersionOrModel_ReturnsNull()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);

        Assert.Null(await Store.GetModelVersionAsync(name, 2, Ct));
        Assert.Null(await Store.GetModelVersionAsync(Unique(), 1, Ct));
    }

    [Fact]
    public async Task UpdateModelVersion_Description_MovesVersionButNotModelLastUpdated()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);

        var updated = await Store.UpdateModelVersionAsync(name, 1, "tuned", Now + 9, Alice, Ct);

        Assert.Equal("tuned", updated.Description);
        Assert.Equal(Now + 9, updated.LastUpdatedTimestamp);
        Assert.Equal("tuned", (await GetVersionAsync(name, 1)).Description);
        Assert.Equal(Now, (await GetModelAsync(name)).LastUpdatedTimestamp);
    }

    [Fact]
    public async Task UpdateModelVersion_MissingVersion_ThrowsVersionNotFound()
    {
        var name = await CreateModelAsync();

        var error = await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.UpdateModelVersionAsync(name, 4, "x", Now, Alice, Ct));

        Assert.Equal(RegistryErrors.VersionNotFound(name, 4).Message, error.Message);
    }

    [Fact]
    public async Task ModelVersionTags_SetOverwriteAndDelete_DoNotMoveLastUpdated()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);

        await Store.SetModelVersionTagAsync(name, 1, new Tag("k", "v1"), Alice, Ct);
        await Store.SetModelVersionTagAsync(name, 1, new Tag("k", "v2"), Alice, Ct);
        await Store.SetModelVersionTagAsync(name, 1, new Tag("gone", "x"), Alice, Ct);
        await Store.DeleteModelVersionTagAsync(name, 1, "gone", Alice, Ct);
        await Store.DeleteModelVersionTagAsync(name, 1, "never-set", Alice, Ct);

        var version = await GetVersionAsync(name, 1);
        Assert.Equal([new Tag("k", "v2")], version.Tags);
        Assert.Equal(Now, version.LastUpdatedTimestamp);
        Assert.Equal(Now, (await GetModelAsync(name)).LastUpdatedTimestamp);
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.SetModelVersionTagAsync(name, 2, new Tag("k", "v"), Alice, Ct));
    }

    [Fact]
    public async Task TransitionStage_WithArchiveExisting_ArchivesOnlyVersionsInTheTargetStage()
    {
        var name = await CreateModelAsync();
        for (var i = 0; i < 4; i++)
            await CreateVersionAsync(name);
        await TransitionAsync(name, 1, ModelStages.Production);
        await TransitionAsync(name, 2, ModelStages.Staging);
        await TransitionAsync(name, 3, ModelStages.Production);

        var moved = await Store.TransitionStageAsync(name, 4, ModelStages.Production, true, Now + 100, Alice, Ct);

        Assert.Equal(ModelStages.Production, moved.CurrentStage);
        Assert.Equal(Now + 100, moved.LastUpdatedTimestamp);
        var first = await GetVersionAsync(name, 1);
        var second = await GetVersionAsync(name, 2);
        var third = await GetVersionAsync(name, 3);
        Assert.Equal((ModelStages.Archived, Now + 100), (first.CurrentStage, first.LastUpdatedTimestamp));
        Assert.Equal((ModelStages.Staging, Now), (second.CurrentStage, second.LastUpdatedTimestamp));
        Assert.Equal((ModelStages.Archived, Now + 100), (third.CurrentStage, third.LastUpdatedTimestamp));
        Assert.Equal(Now + 100, (await GetModelAsync(name)).LastUpdatedTimestamp);
    }

    [Fact]
    public async Task TransitionStage_WithoutArchiveExisting_KeepsOtherVersionsInTheStage()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);
        await CreateVersionAsync(name);
        await TransitionAsync(name, 1, ModelStages.Production);

        await TransitionAsync(name, 2, ModelStages.Production, Now + 3);

        Assert.Equal(ModelStages.Production, (await GetVersionAsync(name, 1)).CurrentStage);
        Assert.Equal(Now, (await GetVersionAsync(name, 1)).LastUpdatedTimestamp);
        Assert.Equal(Now + 3, (await GetModelAsync(name)).LastUpdatedTimestamp);
    }

    [Fact]
    public async Task GetLatestVersions_PerStage_ReturnsHighestVersionOfEachRequestedStage()
    {
        var name = await CreateModelAsync();
        for (var i = 0; i < 5; i++)
            await CreateVersionAsync(name);
        await TransitionAsync(name, 1, ModelStages.Production);
        await TransitionAsync(name, 2, ModelStages.Staging);
        await TransitionAsync(name, 3, ModelStages.Production);
        await Store.SetAliasAsync(name, "champion", 3, Alice, Ct);
        await Store.SetModelVersionTagAsync(name, 3, new Tag("k", "v"), Alice, Ct);

        var all = await Store.GetLatestVersionsAsync(name, [], Ct);
        var production = await Store.GetLatestVersionsAsync(name, [ModelStages.Production], Ct);
        var archived = await Store.GetLatestVersionsAsync(name, [ModelStages.Archived], Ct);

        Assert.Equal([2L, 3L, 5L], all.Select(v => v.Version));
        var latestProduction = Assert.Single(production);
        Assert.Equal(3, latestProduction.Version);
        Assert.Equal(["champion"], latestProduction.Aliases);
        Assert.Equal([new Tag("k", "v")], latestProduction.Tags);
        Assert.Empty(archived);
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.GetLatestVersionsAsync(Unique(), [], Ct));
    }

    [Fact]
    public async Task GetRegisteredModel_LatestVersions_OnePerStageWithTagsButWithoutAliases()
    {
        var name = await CreateModelAsync();
        for (var i = 0; i < 4; i++)
            await CreateVersionAsync(name);
        await TransitionAsync(name, 1, ModelStages.Staging);
        await TransitionAsync(name, 2, ModelStages.Staging);
        await Store.SetModelVersionTagAsync(name, 2, new Tag("k", "v"), Alice, Ct);
        await Store.SetAliasAsync(name, "b", 2, Alice, Ct);
        await Store.SetAliasAsync(name, "a", 4, Alice, Ct);

        var model = await GetModelAsync(name);

        Assert.Equal([(2L, ModelStages.Staging), (4L, ModelStages.None)], model.LatestVersions.Select(v => (v.Version, v.CurrentStage)));
        Assert.Equal([new Tag("k", "v")], model.LatestVersions[0].Tags);
        Assert.All(model.LatestVersions, v => Assert.Empty(v.Aliases));
        Assert.All(model.LatestVersions, v => Assert.Equal(name, v.Name));
        Assert.Equal([new ModelAlias("a", 4), new ModelAlias("b", 2)], model.Aliases);
    }

    [Fact]
    public async Task DeleteModelVersion_RemovesAliasesPointingAtIt_MovesModelLastUpdated()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);
        await CreateVersionAsync(name);
        await Store.SetModelVersionTagAsync(name, 2, new Tag("k", "v"), Alice, Ct);
        await Store.SetAliasAsync(name, "champion", 2, Alice, Ct);
        await Store.SetAliasAsync(name, "stable", 1, Alice, Ct);

        await Store.DeleteModelVersionAsync(name, 2, Now + 20, Alice, Ct);

        var model = await GetModelAsync(name);
        Assert.Null(await Store.ResolveAliasAsync(name, "champion", Ct));
        Assert.Equal([new ModelAlias("stable", 1)], model.Aliases);
        Assert.Equal(Now + 20, model.LastUpdatedTimestamp);
        Assert.Equal([1L], model.LatestVersions.Select(v => v.Version));
        var error = await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.DeleteModelVersionAsync(name, 2, Now, Alice, Ct));
        Assert.Equal(RegistryErrors.VersionNotFound(name, 2).Message, error.Message);
    }
}
