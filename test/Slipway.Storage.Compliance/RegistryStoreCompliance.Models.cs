using Slipway.Core.Errors;
using Slipway.Registry.Domain;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Compliance;

public abstract partial class RegistryStoreCompliance
{
    [Fact]
    public async Task CreateRegisteredModel_WithTags_IsReadableByName()
    {
        var name = Unique();

        var created = await Store.CreateRegisteredModelAsync(name, "first model", [new Tag("team", "vision"), new Tag("owner", "ana")], Now, Alice, Ct);

        var model = await GetModelAsync(name);
        Assert.Equal(name, model.Name);
        Assert.Equal("first model", model.Description);
        Assert.Equal(Now, model.CreationTimestamp);
        Assert.Equal(Now, model.LastUpdatedTimestamp);
        Assert.Equal([new Tag("owner", "ana"), new Tag("team", "vision")], model.Tags);
        Assert.Empty(model.Aliases);
        Assert.Empty(model.LatestVersions);
        Assert.Equal(model.Tags, created.Tags);
    }

    [Fact]
    public async Task GetRegisteredModel_Missing_ReturnsNull()
    {
        Assert.Null(await Store.GetRegisteredModelAsync(Unique(), Ct));
    }

    [Fact]
    public async Task CreateRegisteredModel_DuplicateName_ThrowsModelExists()
    {
        var name = await CreateModelAsync();

        var error = await AssertErrorAsync(ErrorCode.ResourceAlreadyExists, () => CreateModelAsync(name));

        Assert.Equal(RegistryErrors.ModelExists(name).Message, error.Message);
    }

    [Fact]
    public async Task RenameRegisteredModel_ToFreeName_MovesVersionsAliasesAndStampsEverything()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);
        await CreateVersionAsync(name);
        await Store.SetAliasAsync(name, "champion", 2, Alice, Ct);
        var newName = Unique("renamed");

        var renamed = await Store.RenameRegisteredModelAsync(name, newName, Now + 50, Alice, Ct);

        Assert.Null(await Store.GetRegisteredModelAsync(name, Ct));
        Assert.Null(await Store.GetModelVersionAsync(name, 1, Ct));
        Assert.Equal(newName, renamed.Name);
        Assert.Equal(Now + 50, renamed.LastUpdatedTimestamp);
        Assert.Equal(Now, renamed.CreationTimestamp);
        Assert.Equal(Now + 50, (await GetVersionAsync(newName, 1)).LastUpdatedTimestamp);
        Assert.Equal(newName, (await GetVersionAsync(newName, 2)).Name);
        Assert.Equal(2, await Store.ResolveAliasAsync(newName, "champion", Ct));
        Assert.Equal(3, await CreateVersionAsync(newName));
    }

    [Fact]
    public async Task RenameRegisteredModel_OntoExistingName_ThrowsModelExistsAndChangesNothing()
    {
        var first = await CreateModelAsync();
        var second = await CreateModelAsync();

        var error = await AssertErrorAsync(ErrorCode.ResourceAlreadyExists, () => Store.RenameRegisteredModelAsync(first, second, Now + 1, Alice, Ct));

        Assert.Equal(RegistryErrors.ModelExists(second).Message, error.Message);
        Assert.Equal(Now, (await GetModelAsync(first)).LastUpdatedTimestamp);
        Assert.NotNull(await Store.GetRegisteredModelAsync(second, Ct));
    }

    [Fact]
    public async Task RenameRegisteredModel_Missing_ThrowsModelNotFound()
    {
        var name = Unique();

        var error = await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.RenameRegisteredModelAsync(name, Unique(), Now, Alice, Ct));

        Assert.Equal(RegistryErrors.ModelNotFound(name).Message, error.Message);
    }

    [Fact]
    public async Task UpdateRegisteredModel_Description_MovesLastUpdated()
    {
        var name = await CreateModelAsync();

        var updated = await Store.UpdateRegisteredModelAsync(name, "better", Now + 5, Alice, Ct);

        Assert.Equal("better", updated.Description);
        Assert.Equal(Now + 5, updated.LastUpdatedTimestamp);
        Assert.Equal("better", (await GetModelAsync(name)).Description);
    }

    [Fact]
    public async Task RegisteredModelTags_SetOverwriteAndDelete_DoNotMoveLastUpdated()
    {
        var name = await CreateModelAsync();

        await Store.SetRegisteredModelTagAsync(name, new Tag("k", "v1"), Alice, Ct);
        await Store.SetRegisteredModelTagAsync(name, new Tag("k", "v2"), Alice, Ct);
        await Store.SetRegisteredModelTagAsync(name, new Tag("other", "x"), Alice, Ct);
        await Store.DeleteRegisteredModelTagAsync(name, "other", Alice, Ct);
        await Store.DeleteRegisteredModelTagAsync(name, "never-set", Alice, Ct);

        var model = await GetModelAsync(name);
        Assert.Equal([new Tag("k", "v2")], model.Tags);
        Assert.Equal(Now, model.LastUpdatedTimestamp);
    }

    [Fact]
    public async Task RegisteredModelTags_OnMissingModel_ThrowModelNotFound()
    {
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.SetRegisteredModelTagAsync(Unique(), new Tag("k", "v"), Alice, Ct));
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.DeleteRegisteredModelTagAsync(Unique(), "k", Alice, Ct));
    }

    [Fact]
    public async Task DeleteRegisteredModel_RemovesItsRecordsButKeepsAuditEvents()
    {
        var name = await CreateModelAsync(tags: new Tag("k", "v"));
        var version = await CreateVersionAsync(name, tags: new Tag("vk", "vv"));
        await Store.SetAliasAsync(name, "champion", version, Alice, Ct);
        await Store.SetModelCardAsync(name, version, Card(), Alice, Ct);
        await Store.SetPolicyAsync(name, Policy(), Alice, Ct);
        var request = await Store.CreateApprovalRequestAsync(AliasRequest(name, version, "prod"), Now, Alice, Ct);
        await Store.DecideApprovalAsync(request.Id, new ApprovalDecision("bob", true, null, Now), Now, Alice, Ct);

        await Store.DeleteRegisteredModelAsync(name, Alice, Ct);

        Assert.Null(await Store.GetRegisteredModelAsync(name, Ct));
        Assert.Null(await Store.GetModelVersionAsync(name, version, Ct));
        Assert.Null(await Store.ResolveAliasAsync(name, "champion", Ct));
        Assert.Null(await Store.GetApprovalRequestAsync(request.Id, Ct));
        Assert.Equal(RegistryActions.ModelDeleted, (await ModelEventsAsync(name))[^1].Action);
        Assert.Contains(await ModelEventsAsync(name), e => e.Action == RegistryActions.ModelCreated);

        // The name is free again, and nothing of the old model comes back with it.
        await CreateModelAsync(name);
        var reborn = await GetModelAsync(name);
        Assert.Empty(reborn.Tags);
        Assert.Empty(reborn.Aliases);
        Assert.Null(await Store.GetPolicyAsync(name, Ct));
        Assert.Equal(1, await CreateVersionAsync(name));
        Assert.Empty((await GetVersionAsync(name, 1)).Tags);
        Assert.Null(await Store.GetModelCardAsync(name, 1, Ct));
    }

    [Fact]
    public async Task DeleteRegisteredModel_Missing_ThrowsModelNotFound()
    {
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.DeleteRegisteredModelAsync(Unique(), Alice, Ct));
    }
}
