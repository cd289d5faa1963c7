using Slipway.Registry.Domain;
using Slipway.Registry.Search;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Compliance;

public abstract partial class RegistryStoreCompliance
{
    [Fact]
    public async Task SearchRegisteredModels_NameLike_IsCaseSensitive_ILikeIsNot()
    {
        var token = Guid.NewGuid().ToString("N");
        await CreateModelAsync($"Tok{token}-Alpha");
        await CreateModelAsync($"tok{token}-beta");
        await CreateModelAsync($"other{token}");

        Assert.Equal([$"Tok{token}-Alpha"], await SearchModelNamesAsync($"name LIKE 'Tok{token}%'"));
        Assert.Equal([$"Tok{token}-Alpha", $"tok{token}-beta"], await SearchModelNamesAsync($"name ILIKE 'TOK{token}%'"));
        Assert.Equal([$"tok{token}-beta"], await SearchModelNamesAsync($"name = 'tok{token}-beta'"));
        Assert.Equal([$"Tok{token}-Alpha", $"other{token}"], await SearchModelNamesAsync($"name LIKE '%{token}%' AND name != 'tok{token}-beta'"));
    }

    [Theory]
    [InlineData("tags.team = 'x'", "a")]
    [InlineData("tags.team != 'x'", "b,c,d")]
    [InlineData("tags.team LIKE '%'", "a,b")]
    [InlineData("tags.`mlflow.prompt.is_prompt` != 'true'", "a,b,c")]
    [InlineData("tags.`mlflow.prompt.is_prompt` = 'true'", "d")]
    public async Task SearchRegisteredModels_TagClause_NotEqualAlsoMatchesModelsWithoutTheTag(string clause, string expected)
    {
        var token = Guid.NewGuid().ToString("N");
        await CreateModelAsync($"{token}-a", tags: new Tag("team", "x"));
        await CreateModelAsync($"{token}-b", tags: new Tag("team", "y"));
        await CreateModelAsync($"{token}-c");
        await CreateModelAsync($"{token}-d", tags: new Tag("mlflow.prompt.is_prompt", "true"));

        var names = await SearchModelNamesAsync($"name LIKE '{token}%' AND {clause}");

        Assert.Equal(expected.Split(',').Select(s => $"{token}-{s}"), names);
    }

    [Fact]
    public async Task SearchRegisteredModels_NoOrder_SortsByNameAndPages()
    {
        var token = Guid.NewGuid().ToString("N");
        foreach (var suffix in new[] { "c", "a", "B", "b" })
            await CreateModelAsync($"{token}-{suffix}");
        var filter = RegistrySearchParser.ParseModelFilter($"name LIKE '{token}%'");

        var (first, firstHasMore) = await Store.SearchRegisteredModelsAsync(new RegisteredModelQuery(filter, [], 3, 0), Ct);
        var (second, secondHasMore) = await Store.SearchRegisteredModelsAsync(new RegisteredModelQuery(filter, [], 3, 3), Ct);

        Assert.Equal([$"{token}-B", $"{token}-a", $"{token}-b"], first.Select(m => m.Name));
        Assert.True(firstHasMore);
        Assert.Equal([$"{token}-c"], second.Select(m => m.Name));
        Assert.False(secondHasMore);
    }

    [Fact]
    public async Task SearchRegisteredModels_OrderByTimestamps_TiesBreakByName()
    {
        var token = Guid.NewGuid().ToString("N");
        await CreateModelAsync($"{token}-c", Now + 2);
        await CreateModelAsync($"{token}-b", Now + 2);
        await CreateModelAsync($"{token}-a", Now + 1);
        await Store.UpdateRegisteredModelAsync($"{token}-a", "moved", Now + 9, Alice, Ct);

        var byUpdate = await SearchModelNamesAsync($"name LIKE '{token}%'", ["last_updated_timestamp DESC"]);
        var byCreation = await SearchModelNamesAsync($"name LIKE '{token}%'", ["creation_timestamp DESC"]);
        var byTimestampAsc = await SearchModelNamesAsync($"name LIKE '{token}%'", ["timestamp ASC"]);
        var byNameDesc = await SearchModelNamesAsync($"name LIKE '{token}%'", ["name DESC"]);

        Assert.Equal([$"{token}-a", $"{token}-b", $"{token}-c"], byUpdate);
        Assert.Equal([$"{token}-b", $"{token}-c", $"{token}-a"], byCreation);
        Assert.Equal([$"{token}-a", $"{token}-b", $"{token}-c"], byTimestampAsc);
        Assert.Equal([$"{token}-c", $"{token}-b", $"{token}-a"], byNameDesc);
    }

    [Fact]
    public async Task SearchRegisteredModels_Results_CarryTagsAliasesAndLatestVersions()
    {
        var name = await CreateModelAsync(tags: new Tag("k", "v"));
        for (var i = 0; i < 3; i++)
            await CreateVersionAsync(name);
        await TransitionAsync(name, 1, ModelStages.Production);
        await Store.SetAliasAsync(name, "champion", 1, Alice, Ct);

        var (items, _) = await Store.SearchRegisteredModelsAsync(
            new RegisteredModelQuery(RegistrySearchParser.ParseModelFilter($"name = '{name}'"), [], 10, 0), Ct);

        var model = Assert.Single(items);
        Assert.Equal([new Tag("k", "v")], model.Tags);
        Assert.Equal([new ModelAlias("champion", 1)], model.Aliases);
        Assert.Equal([(1L, ModelStages.Production), (3L, ModelStages.None)], model.LatestVersions.Select(v => (v.Version, v.CurrentStage)));
    }

    [Fact]
    public async Task SearchModelVersions_AttributeClauses_FilterByRunSourceAndNumber()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name, runId: "r1", source: "s3://Bucket/one");
        await CreateVersionAsync(name, runId: "r2", source: "s3://bucket/two");
        await CreateVersionAsync(name, source: "s3://bucket/three");

        Assert.Equal([1L], (await SearchVersionsAsync($"name = '{name}' AND run_id IN ('r1', 'r3')")).Select(v => v.Version));
        Assert.Equal([2L], (await SearchVersionsAsync($"name = '{name}' AND run_id = 'r2'")).Select(v => v.Version));
        Assert.Equal([3L, 2L], (await SearchVersionsAsync($"name = '{name}' AND version_number > 1")).Select(v => v.Version));
        Assert.Equal([2L, 1L], (await SearchVersionsAsync($"name = '{name}' AND version_number <= 2.5")).Select(v => v.Version));
        Assert.Equal([1L], (await SearchVersionsAsync($"name = '{name}' AND source_path LIKE 's3://B%'")).Select(v => v.Version));
        Assert.Equal([3L, 2L, 1L], (await SearchVersionsAsync($"name = '{name}' AND source_path ILIKE 's3://b%'")).Select(v => v.Version));
    }

    [Theory]
    [InlineData("tags.stage = 'gold'", "1")]
    [InlineData("tags.stage != 'gold'", "3,2")]
    [InlineData("tags.stage LIKE 's%'", "2")]
    public async Task SearchModelVersions_TagClause_NotEqualAlsoMatchesVersionsWithoutTheTag(string clause, string expected)
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name, tags: new Tag("stage", "gold"));
        await CreateVersionAsync(name, tags: new Tag("stage", "silver"));
        await CreateVersionAsync(name);

        var versions = await SearchVersionsAsync($"name = '{name}' AND {clause}");

        Assert.Equal(expected.Split(',').Select(long.Parse), versions.Select(v => v.Version));
    }

    [Fact]
    public async Task SearchModelVersions_NoOrder_LastUpdatedDescThenNameThenVersionDesc()
    {
        var token = Guid.NewGuid().ToString("N");
        var a = await CreateModelAsync($"{token}-a");
        var b = await CreateModelAsync($"{token}-b");
        await CreateVersionAsync(b, Now + 20);
        await CreateVersionAsync(a, Now + 10);
        await CreateVersionAsync(a, Now + 10);
        await CreateVersionAsync(a, Now + 20);

        var versions = await SearchVersionsAsync($"name LIKE '{token}%'");
        var byNumber = await SearchVersionsAsync($"name LIKE '{token}%'", ["version_number ASC"]);

        Assert.Equal([$"{a}/3", $"{b}/1", $"{a}/2", $"{a}/1"], Keys(versions));
        Assert.Equal([$"{a}/1", $"{b}/1", $"{a}/2", $"{a}/3"], Keys(byNumber));
    }

    [Fact]
    public async Task SearchModelVersions_Results_CarryTagsAndAliasesAndPage()
    {
        var name = await CreateModelAsync();
        for (var i = 0; i < 3; i++)
            await CreateVersionAsync(name, Now + i);
        await Store.SetModelVersionTagAsync(name, 3, new Tag("k", "v"), Alice, Ct);
        await Store.SetAliasAsync(name, "champion", 3, Alice, Ct);
        var filter = RegistrySearchParser.ParseVersionFilter($"name = '{name}'");

        var (first, firstHasMore) = await Store.SearchModelVersionsAsync(new ModelVersionQuery(filter, [], 2, 0), Ct);
        var (second, secondHasMore) = await Store.SearchModelVersionsAsync(new ModelVersionQuery(filter, [], 2, 2), Ct);

        Assert.Equal([3L, 2L], first.Select(v => v.Version));
        Assert.True(firstHasMore);
        Assert.Equal([1L], second.Select(v => v.Version));
        Assert.False(secondHasMore);
        Assert.Equal([new Tag("k", "v")], first[0].Tags);
        Assert.Equal(["champion"], first[0].Aliases);
        Assert.Empty(first[1].Aliases);
    }
}
