using Slipway.Core.Audit;
using Slipway.Tracking.Domain;
using Slipway.Tracking.Search;

namespace Slipway.Storage.Compliance;

public abstract partial class TrackingStoreCompliance
{
    /// <summary>Searches experiments with the server's parsers; the whole result must fit one page.</summary>
    private async Task<string[]> SearchExperimentNamesAsync(string? filter, string[]? orderBy = null, ViewType viewType = ViewType.ActiveOnly)
    {
        var query = new ExperimentQuery(ExperimentSearchParser.ParseFilter(filter), ExperimentSearchParser.ParseOrderBy(orderBy), viewType, 1000, 0);
        var (items, hasMore) = await Store.SearchExperimentsAsync(query, Ct);
        Assert.False(hasMore);
        return items.Select(e => e.Name).ToArray();
    }

    [Fact]
    public async Task SearchExperiments_NameLike_IsCaseSensitive_ILikeIsNot()
    {
        var token = Guid.NewGuid().ToString("N");
        await CreateExperimentAsync($"Tok{token}-Alpha");
        await CreateExperimentAsync($"tok{token}-beta");
        await CreateExperimentAsync($"other{token}");

        var like = await SearchExperimentNamesAsync($"name LIKE 'Tok{token}%'");
        var ilike = await SearchExperimentNamesAsync($"name ILIKE 'TOK{token}%'", ["name"]);
        var contains = await SearchExperimentNamesAsync($"attributes.name LIKE '%{token}%'", ["name"]);
        var equal = await SearchExperimentNamesAsync($"name = 'tok{token}-beta'");
        var notEqual = await SearchExperimentNamesAsync($"name LIKE '%{token}%' AND name != 'tok{token}-beta'", ["name"]);

        Assert.Equal([$"Tok{token}-Alpha"], like);
        Assert.Equal([$"Tok{token}-Alpha", $"tok{token}-beta"], ilike);
        Assert.Equal([$"Tok{token}-Alpha", $"other{token}", $"tok{token}-beta"], contains);
        Assert.Equal([$"tok{token}-beta"], equal);
        Assert.Equal([$"Tok{token}-Alpha", $"other{token}"], notEqual);
    }

    [Theory]
    [InlineData("tags.team = '{0}'", "a,b")]
    [InlineData("tags.team != '{0}'", "c")]
    [InlineData("tags.team LIKE '{0}%'", "a,b")]
    [InlineData("tags.team LIKE '{1}%'", "")]
    [InlineData("tags.team ILIKE '{1}%'", "a,b")]
    [InlineData("tags.team = '{0}' AND tags.tier = 'gold'", "b")]
    public async Task SearchExperiments_TagFilter_MatchesExperimentTags(string filterFormat, string expected)
    {
        var team = "Team" + Guid.NewGuid().ToString("N");
        var prefix = Unique("tagged");
        await CreateExperimentAsync($"{prefix}-a", new Tag("team", team));
        await CreateExperimentAsync($"{prefix}-b", new Tag("team", team), new Tag("tier", "gold"));
        await CreateExperimentAsync($"{prefix}-c", new Tag("team", "other" + team));
        await CreateExperimentAsync($"{prefix}-d");
        var filter = string.Format(System.Globalization.CultureInfo.InvariantCulture, filterFormat, team, team.ToUpperInvariant());

        var names = await SearchExperimentNamesAsync($"name LIKE '{prefix}%' AND {filter}", ["name"]);

        Assert.Equal(Split(expected).Select(x => $"{prefix}-{x}"), names);
    }

    [Fact]
    public async Task SearchExperiments_OrderByName_UsesByteOrder()
    {
        var token = Guid.NewGuid().ToString("N");
        string[] expected = [$"Conf-x{token}", "Default", $"conf-x{token}"];
        await CreateExperimentAsync(expected[2]);
        await CreateExperimentAsync(expected[0]);

        var ascending = await SearchExperimentNamesAsync(null, ["name ASC"]);
        var descending = await SearchExperimentNamesAsync(null, ["name DESC"]);

        Assert.Equal(expected, ascending.Where(expected.Contains));
        Assert.Equal(Enumerable.Reverse(expected), descending.Where(expected.Contains));
    }

    [Fact]
    public async Task SearchExperiments_DefaultOrder_NewestCreationFirstThenHighestId()
    {
        var prefix = Unique("order");
        await Store.CreateExperimentAsync($"{prefix}-older", null, [], Now + 1, Ct);
        await Store.CreateExperimentAsync($"{prefix}-newer", null, [], Now + 2, Ct);
        // Same creation time as "older" but created later, so it has the higher id.
        await Store.CreateExperimentAsync($"{prefix}-later-id", null, [], Now + 1, Ct);

        var names = await SearchExperimentNamesAsync($"name LIKE '{prefix}%'");

        Assert.Equal([$"{prefix}-newer", $"{prefix}-later-id", $"{prefix}-older"], names);
    }

    [Theory]
    [InlineData("creation_time >= 1700000000002", "b,c")]
    [InlineData("creation_time < 1700000000002", "a")]
    [InlineData("last_update_time > 1700000000005", "a")]
    public async Task SearchExperiments_TimeFilters_CompareNumerically(string filter, string expected)
    {
        var prefix = Unique("times");
        var a = await Store.CreateExperimentAsync($"{prefix}-a", null, [], Now + 1, Ct);
        await Store.CreateExperimentAsync($"{prefix}-b", null, [], Now + 2, Ct);
        await Store.CreateExperimentAsync($"{prefix}-c", null, [], Now + 3, Ct);
        await Store.SetExperimentLifecycleAsync(a, LifecycleStage.Deleted, Now + 8, AuditContext.System, Ct);
        await Store.SetExperimentLifecycleAsync(a, LifecycleStage.Active, Now + 9, AuditContext.System, Ct);

        var names = await SearchExperimentNamesAsync($"name LIKE '{prefix}%' AND {filter}", ["name"]);

        Assert.Equal(Split(expected).Select(x => $"{prefix}-{x}"), names);
    }

    [Theory]
    [InlineData(ViewType.ActiveOnly, "live")]
    [InlineData(ViewType.DeletedOnly, "gone")]
    [InlineData(ViewType.All, "gone,live")]
    public async Task SearchExperiments_ViewType_SelectsByLifecycleStage(ViewType viewType, string expected)
    {
        var prefix = Unique("view");
        await CreateExperimentAsync($"{prefix}-live");
        await Store.SetExperimentLifecycleAsync(await CreateExperimentAsync($"{prefix}-gone"), LifecycleStage.Deleted, Now, AuditContext.System, Ct);

        var names = await SearchExperimentNamesAsync($"name LIKE '{prefix}%'", ["name"], viewType);

        Assert.Equal(Split(expected).Select(x => $"{prefix}-{x}"), names);
    }

    [Fact]
    public async Task SearchExperiments_OffsetAndMaxResults_PageWithHasMore()
    {
        var prefix = Unique("page");
        for (var i = 1; i <= 3; i++)
            await CreateExperimentAsync($"{prefix}-{i}", new Tag("n", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var filter = ExperimentSearchParser.ParseFilter($"name LIKE '{prefix}%'");
        var order = ExperimentSearchParser.ParseOrderBy(["name"]);

        async Task<string> Page(int offset, int maxResults)
        {
            var (items, hasMore) = await Store.SearchExperimentsAsync(new ExperimentQuery(filter, order, ViewType.ActiveOnly, maxResults, offset), Ct);
            return $"{string.Join(',', items.Select(e => $"{e.Name[^1]}:{Assert.Single(e.Tags).Value}"))} more={hasMore}";
        }

        Assert.Equal("1:1,2:2 more=True", await Page(0, 2));
        Assert.Equal("3:3 more=False", await Page(2, 2));
        Assert.Equal("1:1,2:2,3:3 more=False", await Page(0, 3));
    }
}
