using Slipway.Tracking.Domain;
using Slipway.Tracking.Search;

namespace Slipway.Storage.Compliance;

public abstract partial class TrackingStoreCompliance
{
    [Theory]
    [InlineData("metrics.acc > 0.5", "a")]
    [InlineData("metrics.acc <= 0.4", "b,d")]
    [InlineData("metrics.acc != 0.9", "b,d")]
    [InlineData("metrics.acc = 0.4", "b")]
    [InlineData("metrics.acc >= 0.2 AND metrics.acc < 0.9", "b,d")]
    [InlineData("metrics.missing > 0", "")]
    public async Task SearchRuns_MetricFilter_ComparesLatestValueOfRunsWithTheMetric(string filter, string expected)
    {
        var experimentId = await CreateExperimentAsync();
        await LogMetricAsync(await CreateRunAsync(experimentId, "a"), "acc", 0.9);
        await LogMetricAsync(await CreateRunAsync(experimentId, "b"), "acc", 0.4);
        await LogMetricAsync(await CreateRunAsync(experimentId, "c"), "loss", 0.9);
        var d = await CreateRunAsync(experimentId, "d");
        await LogAsync(d, metrics: [new Metric("acc", 0.95, Now, 0), new Metric("acc", 0.2, Now, 1)]);

        var runs = await SearchRunsAsync(experimentId, filter);

        Assert.Equal(Split(expected), SortedNames(runs));
    }

    [Theory]
    [InlineData("params.opt = 'adam'", "a")]
    [InlineData("params.opt != 'adam'", "b")]
    [InlineData("tags.team = 'vision'", "a,c")]
    [InlineData("tags.team != 'vision'", "b")]
    [InlineData("params.opt = 'adam' AND tags.team = 'vision'", "a")]
    [InlineData("params.opt = 'adam' AND tags.team = 'nlp'", "")]
    public async Task SearchRuns_ParamAndTagFilters_MatchRunsWithTheKey(string filter, string expected)
    {
        var experimentId = await CreateExperimentAsync();
        var a = await CreateRunAsync(experimentId, "a", tags: [new Tag("team", "vision")]);
        var b = await CreateRunAsync(experimentId, "b", tags: [new Tag("team", "nlp")]);
        await CreateRunAsync(experimentId, "c", tags: [new Tag("team", "vision")]);
        await LogAsync(a, parameters: [new Param("opt", "adam")]);
        await LogAsync(b, parameters: [new Param("opt", "sgd")]);

        var runs = await SearchRunsAsync(experimentId, filter);

        Assert.Equal(Split(expected), SortedNames(runs));
    }

    [Theory]
    [InlineData("attributes.status = 'FINISHED'", "b")]
    [InlineData("attributes.status != 'FINISHED'", "a,c")]
    [InlineData("attributes.run_name = 'c'", "c")]
    [InlineData("attributes.user_id = 'bob'", "b,c")]
    [InlineData("attributes.start_time >= 1700000000002", "b,c")]
    [InlineData("attributes.start_time < 1700000000002", "a")]
    [InlineData("attributes.end_time > 0", "b")]
    [InlineData("attributes.artifact_uri LIKE 'mlflow-artifacts:/%'", "a,b,c")]
    public async Task SearchRuns_AttributeFilter_MatchesRunInfo(string filter, string expected)
    {
        var experimentId = await CreateExperimentAsync();
        await CreateRunAsync(experimentId, "a", Now + 1, "alice");
        var b = await CreateRunAsync(experimentId, "b", Now + 2, "bob");
        await CreateRunAsync(experimentId, "c", Now + 3, "bob");
        await Store.UpdateRunAsync(b, new RunUpdate(RunStatus.Finished, Now + 10, null), Ct);

        var runs = await SearchRunsAsync(experimentId, filter);

        Assert.Equal(Split(expected), SortedNames(runs));
    }

    [Theory]
    [InlineData("attributes.run_name LIKE 'alpha%'", "alpha-2")]
    [InlineData("attributes.run_name LIKE 'Alpha%'", "Alpha-1")]
    [InlineData("attributes.run_name ILIKE 'alpha%'", "ALPHA_3,Alpha-1,alpha-2")]
    [InlineData("attributes.run_name LIKE '%a-_'", "Alpha-1,alpha-2")]
    [InlineData("attributes.run_name LIKE 'a*%'", "a*[b]?")]
    [InlineData("attributes.run_name LIKE '%[b]_'", "a*[b]?")]
    [InlineData("attributes.run_name ILIKE 'A*[B]%'", "a*[b]?")]
    [InlineData("params.model LIKE 'Res%'", "Alpha-1")]
    [InlineData("params.model LIKE 'res%'", "alpha-2")]
    [InlineData("params.model ILIKE 'RES%'", "Alpha-1,alpha-2")]
    [InlineData("tags.kind LIKE '%Big'", "ALPHA_3")]
    [InlineData("tags.kind ILIKE '%big'", "ALPHA_3,a*[b]?")]
    public async Task SearchRuns_LikeIsCaseSensitive_ILikeIsNot(string filter, string expected)
    {
        var experimentId = await CreateExperimentAsync();
        await LogAsync(await CreateRunAsync(experimentId, "Alpha-1"), parameters: [new Param("model", "ResNet")]);
        await LogAsync(await CreateRunAsync(experimentId, "alpha-2"), parameters: [new Param("model", "resnet")]);
        await CreateRunAsync(experimentId, "ALPHA_3", tags: [new Tag("kind", "isBig")]);
        await CreateRunAsync(experimentId, "a*[b]?", tags: [new Tag("kind", "isbig")]);

        var runs = await SearchRunsAsync(experimentId, filter);

        Assert.Equal(Split(expected), SortedNames(runs));
    }

    [Fact]
    public async Task SearchRuns_RunIdInAndNotIn_SelectByIdentity()
    {
        var experimentId = await CreateExperimentAsync();
        var a = await CreateRunAsync(experimentId, "a");
        await CreateRunAsync(experimentId, "b");
        var c = await CreateRunAsync(experimentId, "c");

        var included = await SearchRunsAsync(experimentId, $"attributes.run_id IN ('{a}', '{c}', 'not-a-run')");
        var excluded = await SearchRunsAsync(experimentId, $"attributes.run_id NOT IN ('{a}')");
        var equal = await SearchRunsAsync(experimentId, $"attributes.run_id = '{c}'");

        Assert.Equal(["a", "c"], SortedNames(included));
        Assert.Equal(["b", "c"], SortedNames(excluded));
        Assert.Equal(["c"], SortedNames(equal));
    }

    [Theory]
    [InlineData("datasets.name = 'train'", "a")]
    [InlineData("datasets.digest = 'd2'", "b")]
    [InlineData("datasets.context = 'training'", "a")]
    [InlineData("datasets.context = 'eval'", "b")]
    [InlineData("datasets.name IN ('train', 'eval')", "a,b")]
    [InlineData("datasets.name NOT IN ('train')", "b")]
    [InlineData("datasets.name LIKE 'tr%'", "a")]
    [InlineData("datasets.name LIKE 'TR%'", "")]
    [InlineData("datasets.name ILIKE 'TR%'", "a")]
    [InlineData("datasets.name = 'train' AND datasets.context = 'eval'", "")]
    public async Task SearchRuns_DatasetFilter_MatchesLoggedInputs(string filter, string expected)
    {
        var experimentId = await CreateExperimentAsync();
        var a = await CreateRunAsync(experimentId, "a");
        var b = await CreateRunAsync(experimentId, "b");
        await CreateRunAsync(experimentId, "c");
        await Store.LogInputsAsync(a, [new DatasetInput([new Tag("mlflow.data.context", "training")], new Dataset("train", "d1", "local", "/t", null, null))], Ct);
        await Store.LogInputsAsync(b, [new DatasetInput([new Tag("mlflow.data.context", "eval")], new Dataset("eval", "d2", "local", "/e", null, null))], Ct);

        var runs = await SearchRunsAsync(experimentId, filter);

        Assert.Equal(Split(expected), SortedNames(runs));
    }

    [Fact]
    public async Task SearchRuns_FilterClausesBuiltDirectly_BehaveLikeParsedOnes()
    {
        var experimentId = await CreateExperimentAsync();
        await LogMetricAsync(await CreateRunAsync(experimentId, "low"), "acc", 0.1);
        await LogMetricAsync(await CreateRunAsync(experimentId, "high"), "acc", 0.8);
        FilterClause[] filter = [new FilterClause(EntityKind.Metric, "acc", Comparator.Greater, FilterValue.OfNumber(0.5))];
        OrderClause[] order = [new OrderClause(EntityKind.Metric, "acc", Ascending: true)];

        var (items, _) = await Store.SearchRunsAsync(new RunQuery([experimentId], filter, order, ViewType.ActiveOnly, 10, 0), Ct);

        Assert.Equal(["high"], Names(items));
    }
}
