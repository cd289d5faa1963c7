using Slipway.Core.Audit;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Compliance;

public abstract partial class TrackingStoreCompliance
{
    [Theory]
    [InlineData("metrics.score ASC", "one,three,nan,none")]
    [InlineData("metrics.score DESC", "three,one,nan,none")]
    public async Task SearchRuns_OrderByMetric_NaNAndMissingValuesLast(string orderBy, string expected)
    {
        var experimentId = await CreateExperimentAsync();
        // Start times run against the expected order so that the default tie-break cannot produce it by accident.
        await CreateRunAsync(experimentId, "none", Now + 4);
        await LogMetricAsync(await CreateRunAsync(experimentId, "nan", Now + 3), "score", double.NaN);
        await LogMetricAsync(await CreateRunAsync(experimentId, "one", Now + 2), "score", 1);
        await LogMetricAsync(await CreateRunAsync(experimentId, "three", Now + 1), "score", 3);

        var runs = await SearchRunsAsync(experimentId, orderBy: [orderBy]);

        Assert.Equal(Split(expected), Names(runs));
    }

    [Fact]
    public async Task SearchRuns_OrderByMetricNegativeAndInfinite_SortsNumerically()
    {
        var experimentId = await CreateExperimentAsync();
        await LogMetricAsync(await CreateRunAsync(experimentId, "ten", Now + 1), "m", 10);
        await LogMetricAsync(await CreateRunAsync(experimentId, "nine", Now + 2), "m", 9);
        await LogMetricAsync(await CreateRunAsync(experimentId, "minus-inf", Now + 3), "m", double.NegativeInfinity);
        await LogMetricAsync(await CreateRunAsync(experimentId, "plus-inf", Now + 4), "m", double.PositiveInfinity);
        await LogMetricAsync(await CreateRunAsync(experimentId, "minus-two", Now + 5), "m", -2);

        var runs = await SearchRunsAsync(experimentId, orderBy: ["metrics.m"]);

        Assert.Equal(["minus-inf", "minus-two", "nine", "ten", "plus-inf"], Names(runs));
    }

    [Theory]
    [InlineData("params.fruit ASC", "B,a,c,none")]
    [InlineData("params.fruit DESC", "c,a,B,none")]
    [InlineData("tags.fruit ASC", "B,a,c,none")]
    [InlineData("tags.fruit DESC", "c,a,B,none")]
    public async Task SearchRuns_OrderByParamOrTag_ByteOrderWithMissingLast(string orderBy, string expected)
    {
        var experimentId = await CreateExperimentAsync();
        await CreateRunAsync(experimentId, "none", Now + 4);
        foreach (var (name, value, start) in new[] { ("a", "apple", Now + 1), ("B", "Banana", Now + 2), ("c", "cherry", Now + 3) })
            await LogAsync(await CreateRunAsync(experimentId, name, start), parameters: [new Param("fruit", value)], tags: [new Tag("fruit", value)]);

        var runs = await SearchRunsAsync(experimentId, orderBy: [orderBy]);

        Assert.Equal(Split(expected), Names(runs));
    }

    [Theory]
    [InlineData(new string[0], "r3,r2,r1")]
    [InlineData(new[] { "attributes.start_time ASC" }, "r1,r2,r3")]
    [InlineData(new[] { "attributes.run_name DESC" }, "r3,r2,r1")]
    [InlineData(new[] { "attributes.status ASC", "attributes.run_name ASC" }, "r2,r3,r1")]
    public async Task SearchRuns_OrderByAttributes_DefaultsToNewestFirst(string[] orderBy, string expected)
    {
        var experimentId = await CreateExperimentAsync();
        var r1 = await CreateRunAsync(experimentId, "r1", Now + 1);
        await CreateRunAsync(experimentId, "r2", Now + 2);
        await CreateRunAsync(experimentId, "r3", Now + 3);
        await Store.UpdateRunAsync(r1, new RunUpdate(RunStatus.Scheduled, null, null), Ct);

        var runs = await SearchRunsAsync(experimentId, orderBy: orderBy);

        Assert.Equal(Split(expected), Names(runs));
    }

    [Fact]
    public async Task SearchRuns_OffsetAndMaxResults_PageWithHasMore()
    {
        var experimentId = await CreateExperimentAsync();
        for (var i = 1; i <= 5; i++)
            await CreateRunAsync(experimentId, $"r{i}", Now + i);

        async Task<string> Page(int offset, int maxResults)
        {
            var query = new RunQuery([experimentId], [], [], ViewType.ActiveOnly, maxResults, offset);
            var (items, hasMore) = await Store.SearchRunsAsync(query, Ct);
            return $"{string.Join(',', Names(items))} more={hasMore}";
        }

        Assert.Equal("r5,r4 more=True", await Page(0, 2));
        Assert.Equal("r3,r2 more=True", await Page(2, 2));
        Assert.Equal("r1 more=False", await Page(4, 2));
        Assert.Equal("r5,r4,r3,r2,r1 more=False", await Page(0, 5));
        Assert.Equal(" more=False", await Page(5, 2));
    }

    [Theory]
    [InlineData(ViewType.ActiveOnly, "live")]
    [InlineData(ViewType.DeletedOnly, "gone")]
    [InlineData(ViewType.All, "gone,live")]
    public async Task SearchRuns_ViewType_SelectsByLifecycleStage(ViewType viewType, string expected)
    {
        var experimentId = await CreateExperimentAsync();
        await CreateRunAsync(experimentId, "live");
        await Store.SetRunLifecycleAsync(await CreateRunAsync(experimentId, "gone"), LifecycleStage.Deleted, Now, AuditContext.System, Ct);

        var runs = await SearchRunsAsync(experimentId, viewType: viewType);

        Assert.Equal(Split(expected), SortedNames(runs));
    }

    [Fact]
    public async Task SearchRuns_SeveralExperiments_ReturnsRunsOfListedExperimentsOnly()
    {
        var first = await CreateExperimentAsync();
        var second = await CreateExperimentAsync();
        var third = await CreateExperimentAsync();
        await CreateRunAsync(first, "in-first", Now + 1);
        await CreateRunAsync(second, "in-second", Now + 2);
        await CreateRunAsync(third, "in-third", Now + 3);

        var query = new RunQuery([first, second, "not-an-id"], [], [], ViewType.ActiveOnly, 100, 0);
        var (items, hasMore) = await Store.SearchRunsAsync(query, Ct);

        Assert.Equal(["in-second", "in-first"], Names(items));
        Assert.False(hasMore);
    }

    [Fact]
    public async Task SearchRuns_Results_CarryMetricsParamsTagsAndInputs()
    {
        var experimentId = await CreateExperimentAsync();
        var runId = await CreateRunAsync(experimentId, "full", tags: [new Tag("t", "1")]);
        await LogAsync(runId, metrics: [new Metric("m", 2, Now, 1)], parameters: [new Param("p", "x")]);
        var dataset = new Dataset("train", "d1", "local", "/t", null, null);
        await Store.LogInputsAsync(runId, [new DatasetInput([new Tag("mlflow.data.context", "training")], dataset)], Ct);

        var run = Assert.Single(await SearchRunsAsync(experimentId, "params.p = 'x'"));

        Assert.Equal([new Metric("m", 2, Now, 1)], run.Metrics);
        Assert.Equal([new Param("p", "x")], run.Params);
        Assert.Equal([new Tag("t", "1")], run.Tags);
        Assert.Equal(dataset, Assert.Single(run.Inputs).Dataset);
    }
}
