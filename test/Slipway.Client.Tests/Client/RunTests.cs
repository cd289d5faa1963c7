using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Client;

public sealed class RunTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly SlipwayClient _client = fixture.Client;

    [Fact]
    public async Task CreateRunAsync_WithNameAndTags_ReturnsRunningRun()
    {
        var experimentId = await _client.CreateExperimentAsync(Names.Unique("runs-create"));

        var run = await _client.CreateRunAsync(experimentId, "train-1", new Dictionary<string, string> { ["team"] = "alpha" }, startTime: 1_700_000_000_000, userId: "tester");

        Assert.Equal(32, run.Info.RunId.Length);
        Assert.Equal(experimentId, run.Info.ExperimentId);
        Assert.Equal("train-1", run.Info.RunName);
        Assert.Equal("tester", run.Info.UserId);
        Assert.Equal(RunStatus.Running, run.Info.Status);
        Assert.Equal(1_700_000_000_000, run.Info.StartTime);
        Assert.Null(run.Info.EndTime);
        Assert.StartsWith("mlflow-artifacts:", run.Info.ArtifactUri);
        Assert.Contains(new Tag("team", "alpha"), run.Data.Tags);
    }

    [Fact]
    public async Task LogBatchAsync_MetricsParamsTags_AppearInGetRun()
    {
        var run = await NewRunAsync();

        await _client.LogBatchAsync(
            run.RunId,
            [new Metric("loss", 0.5, 1000, 0), new Metric("loss", 0.25, 2000, 1)],
            [new Param("lr", "0.01")],
            [new Tag("phase", "train")]);

        var data = (await _client.GetRunAsync(run.RunId)).Data;
        Assert.Equal(0.25, Assert.Single(data.Metrics, m => m.Key == "loss").Value);
        Assert.Contains(new Param("lr", "0.01"), data.Params);
        Assert.Contains(new Tag("phase", "train"), data.Tags);
    }

    [Fact]
    public async Task LogMetricAsync_NaNAndInfinity_RoundTripThroughHistory()
    {
        var run = await NewRunAsync();

        await _client.LogMetricAsync(run.RunId, "nan", double.NaN);
        await _client.LogMetricAsync(run.RunId, "inf", double.PositiveInfinity);
        await _client.LogMetricAsync(run.RunId, "neg_inf", double.NegativeInfinity);

        Assert.True(double.IsNaN(Assert.Single(await _client.GetMetricHistoryAsync(run.RunId, "nan")).Value));
        var inf = Assert.Single(await _client.GetMetricHistoryAsync(run.RunId, "inf")).Value;
        Assert.True(double.IsPositiveInfinity(inf) || inf == double.MaxValue, $"got {inf}");
        var negInf = Assert.Single(await _client.GetMetricHistoryAsync(run.RunId, "neg_inf")).Value;
        Assert.True(double.IsNegativeInfinity(negInf) || negInf == double.MinValue, $"got {negInf}");
    }

    [Fact]
    public async Task LogBatchAsync_MoreMetricsThanOneRequestHolds_DeliversAll()
    {
        var run = await NewRunAsync();
        var metrics = Enumerable.Range(0, 2500).Select(i => new Metric("acc", i / 2500.0, 1_000_000 + i, i)).ToList();

        await _client.LogBatchAsync(run.RunId, metrics, Enumerable.Range(0, 150).Select(i => new Param($"p{i}", "v")));

        var history = await _client.GetMetricHistoryAsync(run.RunId, "acc");
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => (long)i), history.Select(m => m.Step).Order());
        Assert.Equal(150, (await _client.GetRunAsync(run.RunId)).Data.Params.Count);
    }

    [Fact]
    public async Task GetMetricHistoryAsync_UnknownKey_ReturnsEmpty()
    {
        var run = await NewRunAsync();

        var history = await _client.GetMetricHistoryAsync(run.RunId, "never-logged");

        Assert.Empty(history);
    }

    [Fact]
    public async Task LogParameterAsync_ChangedValue_ThrowsInvalidParameterValue()
    {
        var run = await NewRunAsync();
        await _client.LogParameterAsync(run.RunId, "lr", "0.01");
        await _client.LogParameterAsync(run.RunId, "lr", "0.01");

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => _client.LogParameterAsync(run.RunId, "lr", "0.5"));

        Assert.Equal(ApiErrorCodes.InvalidParameterValue, error.ErrorCode);
    }

    [Fact]
    public async Task DeleteTagAsync_ExistingThenMissing_RemovesThenThrowsNotFound()
    {
        var run = await NewRunAsync();
        await _client.SetTagAsync(run.RunId, "priority", "high");

        await _client.DeleteTagAsync(run.RunId, "priority");
        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => _client.DeleteTagAsync(run.RunId, "priority"));

        Assert.DoesNotContain((await _client.GetRunAsync(run.RunId)).Data.Tags, t => t.Key == "priority");
        Assert.True(error.IsNotFound);
    }

    [Fact]
    public async Task UpdateRunAsync_StatusEndTimeAndName_AreApplied()
    {
        var run = await NewRunAsync();

        var info = await _client.UpdateRunAsync(run.RunId, RunStatus.Killed, 1_800_000_000_000, "renamed");

        Assert.Equal(RunStatus.Killed, info.Status);
        Assert.Equal(1_800_000_000_000, info.EndTime);
        Assert.Equal("renamed", (await _client.GetRunAsync(run.RunId)).Info.RunName);
    }

    [Fact]
    public async Task DeleteRunAsync_ThenRestore_TogglesLifecycleStage()
    {
        var run = await NewRunAsync();

        await _client.DeleteRunAsync(run.RunId);
        var deleted = (await _client.GetRunAsync(run.RunId)).Info.LifecycleStage;
        await _client.RestoreRunAsync(run.RunId);

        Assert.Equal(LifecycleStages.Deleted, deleted);
        Assert.Equal(LifecycleStages.Active, (await _client.GetRunAsync(run.RunId)).Info.LifecycleStage);
    }

    [Fact]
    public async Task SearchRunsAsync_MetricFilterAndOrder_ReturnsMatchingRunsInOrder()
    {
        var experimentId = await _client.CreateExperimentAsync(Names.Unique("runs-search"));
        var ids = new Dictionary<double, string>();
        foreach (var rmse in new[] { 0.9, 0.2, 0.5, 1.5 })
        {
            var run = await _client.CreateRunAsync(experimentId);
            await _client.LogMetricAsync(run.Info.RunId, "rmse", rmse);
            ids[rmse] = run.Info.RunId;
        }

        var page = await _client.SearchRunsAsync([experimentId], "metrics.rmse < 1", ["metrics.rmse ASC"]);

        Assert.Equal(new[] { ids[0.2], ids[0.5], ids[0.9] }, page.Items.Select(r => r.Info.RunId));
    }

    [Fact]
    public async Task SearchRunsAsync_PageTokens_WalkEveryRunOnce()
    {
        var experimentId = await _client.CreateExperimentAsync(Names.Unique("runs-paging"));
        var created = new HashSet<string>();
        for (var i = 0; i < 5; i++)
            created.Add((await _client.CreateRunAsync(experimentId)).Info.RunId);

        var first = await _client.SearchRunsAsync([experimentId], maxResults: 2);
        var all = new List<string>();
        await foreach (var run in _client.SearchAllRunsAsync([experimentId], pageSize: 2))
            all.Add(run.Info.RunId);

        Assert.Equal(2, first.Items.Count);
        Assert.True(first.HasMore);
        Assert.Equal(5, all.Count);
        Assert.Equal(created, all.ToHashSet());
    }

    [Fact]
    public async Task SearchRunsAsync_BadFilter_ThrowsInvalidParameterValue()
    {
        var experimentId = await _client.CreateExperimentAsync(Names.Unique("runs-badfilter"));

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => _client.SearchRunsAsync([experimentId], "metrics.rmse <> 1 OR x"));

        Assert.Equal(ApiErrorCodes.InvalidParameterValue, error.ErrorCode);
    }

    [Fact]
    public async Task LogInputsAsync_Dataset_AppearsInRunInputs()
    {
        var run = await NewRunAsync();
        var input = new DatasetInput
        {
            Tags = [new Tag("mlflow.data.context", "training")],
            Dataset = new Dataset { Name = "iris", Digest = "abc123", SourceType = "local", Source = "{\"uri\":\"/data/iris.csv\"}" },
        };

        await _client.LogInputsAsync(run.RunId, [input]);

        var logged = Assert.Single((await _client.GetRunAsync(run.RunId)).Inputs.DatasetInputs);
        Assert.Equal("iris", logged.Dataset.Name);
        Assert.Equal("abc123", logged.Dataset.Digest);
        Assert.Contains(new Tag("mlflow.data.context", "training"), logged.Tags);
    }

    private async Task<RunInfo> NewRunAsync()
    {
        var experimentId = await _client.CreateExperimentAsync(Names.Unique("runs"));
        return (await _client.CreateRunAsync(experimentId)).Info;
    }
}
