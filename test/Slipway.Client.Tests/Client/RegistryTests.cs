using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Client;

/// <summary>The MLflow model registry through the SDK, against a real server.</summary>
public sealed class RegistryTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly SlipwayClient _client = fixture.Client;

    [Fact]
    public async Task RegistryRoundTrip_CreateAliasSearchTransitionDelete_EachStepVisible()
    {
        var name = Names.Unique("reg-trip");
        var model = await _client.CreateRegisteredModelAsync(name, "iris classifier", new Dictionary<string, string> { ["team"] = "vision" });
        var v1 = await _client.CreateModelVersionAsync(name, "s3://bucket/iris/1", description: "first");
        var v2 = await _client.CreateModelVersionAsync(name, "s3://bucket/iris/2", tags: new Dictionary<string, string> { ["candidate"] = "yes" });

        await _client.SetModelAliasAsync(name, "champion", v2.Version);
        var byAlias = await _client.GetModelVersionByAliasAsync(name, "champion");
        var found = await _client.SearchRegisteredModelsAsync($"name = '{name}'");
        await _client.TransitionModelVersionStageAsync(name, v1.Version, ModelStages.Production);
        var promoted = await _client.TransitionModelVersionStageAsync(name, v2.Version, ModelStages.Production, archiveExistingVersions: true);
        var archived = await _client.GetModelVersionAsync(name, v1.Version);

        Assert.Equal(name, model.Name);
        Assert.Equal("iris classifier", model.Description);
        Assert.Contains(new Tag("team", "vision"), model.Tags);
        Assert.Equal(("1", "2"), (v1.Version, v2.Version));
        Assert.Equal(ModelStages.None, v1.CurrentStage);
        Assert.Equal("s3://bucket/iris/2", byAlias.Source);
        Assert.Equal("2", byAlias.Version);
        Assert.Contains("champion", byAlias.Aliases);
        Assert.Contains(new Tag("candidate", "yes"), byAlias.Tags);
        var listed = Assert.Single(found.Items);
        Assert.Contains(new RegisteredModelAlias("champion", "2"), listed.Aliases);
        Assert.Equal(ModelStages.Production, promoted.CurrentStage);
        Assert.Equal(ModelStages.Archived, archived.CurrentStage);

        await _client.DeleteModelVersionAsync(name, v1.Version);
        var remaining = await _client.SearchModelVersionsAsync($"name = '{name}'");
        await _client.DeleteRegisteredModelAsync(name);
        var gone = await Assert.ThrowsAsync<SlipwayApiException>(() => _client.GetRegisteredModelAsync(name));

        Assert.Equal(["2"], remaining.Items.Select(v => v.Version));
        Assert.True(gone.IsNotFound);
    }

    [Fact]
    public async Task SearchAllRegisteredModelsAsync_MoreMatchesThanPageSize_ReturnsEveryMatchInOrder()
    {
        var prefix = Names.Unique("reg-page");
        for (var i = 0; i < 5; i++)
            await _client.CreateRegisteredModelAsync($"{prefix}-{i}");
        await _client.CreateRegisteredModelAsync(Names.Unique("reg-other"));

        var firstPage = await _client.SearchRegisteredModelsAsync($"name LIKE '{prefix}-%'", maxResults: 2);
        var all = new List<string>();
        await foreach (var model in _client.SearchAllRegisteredModelsAsync($"name LIKE '{prefix}-%'", ["name DESC"], pageSize: 2))
            all.Add(model.Name);

        Assert.Equal(2, firstPage.Items.Count);
        Assert.True(firstPage.HasMore);
        Assert.Equal(Enumerable.Range(0, 5).Reverse().Select(i => $"{prefix}-{i}"), all);
    }

    [Fact]
    public async Task GetLatestVersionsAsync_VersionsInSeveralStages_NewestPerRequestedStage()
    {
        var name = Names.Unique("reg-latest");
        await _client.CreateRegisteredModelAsync(name);
        for (var i = 1; i <= 3; i++)
            await _client.CreateModelVersionAsync(name, $"s3://bucket/{i}");
        await _client.TransitionModelVersionStageAsync(name, "1", ModelStages.Staging);
        await _client.TransitionModelVersionStageAsync(name, "2", ModelStages.Staging);

        var staging = await _client.GetLatestVersionsAsync(name, [ModelStages.Staging]);

        Assert.Equal("2", Assert.Single(staging).Version);
    }

    [Fact]
    public async Task RenameAndUpdateRegisteredModel_NewNameAndDescription_VersionsFollow()
    {
        var name = Names.Unique("reg-old");
        var newName = Names.Unique("reg-new");
        await _client.CreateRegisteredModelAsync(name);
        await _client.CreateModelVersionAsync(name, "s3://bucket/m");

        await _client.RenameRegisteredModelAsync(name, newName);
        var updated = await _client.UpdateRegisteredModelAsync(newName, "renamed");
        var version = await _client.UpdateModelVersionAsync(newName, "1", "still here");

        Assert.Equal("renamed", updated.Description);
        Assert.Equal(newName, version.Name);
        Assert.Equal("still here", version.Description);
        Assert.True((await Assert.ThrowsAsync<SlipwayApiException>(() => _client.GetRegisteredModelAsync(name))).IsNotFound);
    }

    [Fact]
    public async Task TagsAndAliasDeletion_SetThenDelete_Disappear()
    {
        var name = Names.Unique("reg-tags");
        await _client.CreateRegisteredModelAsync(name);
        await _client.CreateModelVersionAsync(name, "s3://bucket/m");
        await _client.SetRegisteredModelTagAsync(name, "owner", "ml-team");
        await _client.SetModelVersionTagAsync(name, "1", "validated", "true");
        await _client.SetModelAliasAsync(name, "challenger", "1");

        await _client.DeleteRegisteredModelTagAsync(name, "owner");
        await _client.DeleteModelVersionTagAsync(name, "1", "validated");
        await _client.DeleteModelAliasAsync(name, "challenger");

        var model = await _client.GetRegisteredModelAsync(name);
        var version = await _client.GetModelVersionAsync(name, "1");
        Assert.Empty(model.Tags);
        Assert.Empty(model.Aliases);
        Assert.Empty(version.Tags);
        // MLflow answers an unknown alias with INVALID_PARAMETER_VALUE, not RESOURCE_DOES_NOT_EXIST.
        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => _client.GetModelVersionByAliasAsync(name, "challenger"));
        Assert.Equal(ApiErrorCodes.InvalidParameterValue, error.ErrorCode);
    }

    [Fact]
    public async Task ResolveModelUriAsync_AliasVersionAndStageUris_NameTheSameVersion()
    {
        var name = Names.Unique("reg-resolve");
        await _client.CreateRegisteredModelAsync(name);
        await _client.CreateModelVersionAsync(name, "s3://bucket/one");
        await _client.CreateModelVersionAsync(name, "s3://bucket/two");
        await _client.SetModelAliasAsync(name, "champion", "2");
        await _client.TransitionModelVersionStageAsync(name, "2", ModelStages.Staging);

        var byAlias = await _client.ResolveModelUriAsync($"models:/{name}@champion");
        var byNumber = await _client.ResolveModelUriAsync($"models:/{name}/2");
        var byStage = await _client.ResolveModelUriAsync($"models:/{name}/Staging");
        var downloadUri = await _client.GetModelVersionDownloadUriAsync(name, "2");

        Assert.Equal(("2", "2", "2"), (byAlias.ModelVersion.Version, byNumber.ModelVersion.Version, byStage.ModelVersion.Version));
        Assert.Equal("s3://bucket/two", byAlias.DownloadUri);
        Assert.Equal(downloadUri, byStage.DownloadUri);
    }

    [Fact]
    public async Task ResolveModelUriAsync_UnknownAliasOrVersion_ThrowsWithMlflowCodes()
    {
        var name = Names.Unique("reg-resolve-missing");
        await _client.CreateRegisteredModelAsync(name);

        var unknownAlias = await Assert.ThrowsAsync<SlipwayApiException>(() => _client.ResolveModelUriAsync($"models:/{name}@nobody"));
        var unknownVersion = await Assert.ThrowsAsync<SlipwayApiException>(() => _client.ResolveModelUriAsync($"models:/{name}/7"));

        Assert.Equal(ApiErrorCodes.InvalidParameterValue, unknownAlias.ErrorCode);
        Assert.Contains("nobody", unknownAlias.Message, StringComparison.Ordinal);
        Assert.Equal(ApiErrorCodes.ResourceDoesNotExist, unknownVersion.ErrorCode);
    }

    [Fact]
    public async Task CreateRegisteredModelAsync_DuplicateName_ThrowsResourceAlreadyExists()
    {
        var name = Names.Unique("reg-dup");
        await _client.CreateRegisteredModelAsync(name);

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => _client.CreateRegisteredModelAsync(name));

        Assert.Equal(ApiErrorCodes.ResourceAlreadyExists, error.ErrorCode);
    }
}
