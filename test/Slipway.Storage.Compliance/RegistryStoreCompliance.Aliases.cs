using Slipway.Core.Errors;
using Slipway.Registry.Domain;

namespace Slipway.Storage.Compliance;

public abstract partial class RegistryStoreCompliance
{
    [Fact]
    public async Task SetAlias_NewThenMoved_ResolvesToLatestTargetAndListsOnVersions()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);
        await CreateVersionAsync(name);

        await Store.SetAliasAsync(name, "champion", 1, Alice, Ct);
        await Store.SetAliasAsync(name, "champion", 2, Alice, Ct);

        Assert.Equal(2, await Store.ResolveAliasAsync(name, "champion", Ct));
        Assert.Empty((await GetVersionAsync(name, 1)).Aliases);
        Assert.Equal(["champion"], (await GetVersionAsync(name, 2)).Aliases);
        Assert.Equal([new ModelAlias("champion", 2)], (await GetModelAsync(name)).Aliases);
    }

    [Fact]
    public async Task SetAlias_DoesNotMoveLastUpdated()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);

        await Store.SetAliasAsync(name, "champion", 1, Alice, Ct);
        await Store.DeleteAliasAsync(name, "champion", Alice, Ct);

        Assert.Equal(Now, (await GetModelAsync(name)).LastUpdatedTimestamp);
        Assert.Equal(Now, (await GetVersionAsync(name, 1)).LastUpdatedTimestamp);
    }

    [Fact]
    public async Task SetAlias_MissingVersionOrModel_ThrowsNotFound()
    {
        var name = await CreateModelAsync();
        var missing = Unique();

        var version = await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.SetAliasAsync(name, "champion", 3, Alice, Ct));
        var model = await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.SetAliasAsync(missing, "champion", 1, Alice, Ct));

        Assert.Equal(RegistryErrors.VersionNotFound(name, 3).Message, version.Message);
        Assert.Equal(RegistryErrors.ModelNotFound(missing).Message, model.Message);
    }

    [Fact]
    public async Task DeleteAlias_ExistingAndAbsent_BothSucceed()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);
        await Store.SetAliasAsync(name, "champion", 1, Alice, Ct);

        await Store.DeleteAliasAsync(name, "champion", Alice, Ct);
        await Store.DeleteAliasAsync(name, "never-set", Alice, Ct);

        Assert.Null(await Store.ResolveAliasAsync(name, "champion", Ct));
        Assert.Empty((await GetModelAsync(name)).Aliases);
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.DeleteAliasAsync(Unique(), "champion", Alice, Ct));
    }

    [Fact]
    public async Task ResolveAlias_MissingModelOrAlias_ReturnsNull()
    {
        var name = await CreateModelAsync();

        Assert.Null(await Store.ResolveAliasAsync(name, "champion", Ct));
        Assert.Null(await Store.ResolveAliasAsync(Unique(), "champion", Ct));
    }
}
