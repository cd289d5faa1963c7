using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Compliance;

public abstract partial class TrackingStoreCompliance
{
    [Fact]
    public async Task CountMetricHistory_CountsEveryRowOfThatKeyOnly()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());
        await LogAsync(runId, metrics: [.. Enumerable.Range(0, 250).Select(i => new Metric("loss", 1.0 / (i + 1), Now + i, i)),
                                         new Metric("acc", 0.5, Now, 0)]);

        Assert.Equal(250, await Store.CountMetricHistoryAsync(runId, "loss", Ct));
        Assert.Equal(1, await Store.CountMetricHistoryAsync(runId, "acc", Ct));
        Assert.Equal(0, await Store.CountMetricHistoryAsync(runId, "missing", Ct));
        Assert.Equal(0, await Store.CountMetricHistoryAsync(Guid.NewGuid().ToString("N"), "loss", Ct));
    }

    [Fact]
    public async Task LogBatch_ParamsMetricsAndTags_AreReadBack()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());

        await LogAsync(runId,
            metrics: [new Metric("loss", 0.25, Now, 1), new Metric("acc", 0.9, Now, 1)],
            parameters: [new Param("lr", "0.01"), new Param("layers", "3")],
            tags: [new Tag("note", "first")]);

        var run = await GetRunAsync(runId);
        Assert.Equal([new Metric("acc", 0.9, Now, 1), new Metric("loss", 0.25, Now, 1)], run.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal));
        Assert.Equal([new Param("layers", "3"), new Param("lr", "0.01")], run.Params.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal([new Tag("note", "first")], run.Tags);
    }

    [Fact]
    public async Task LogBatch_SameParamValueAgain_IsAccepted()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());
        await LogAsync(runId, parameters: [new Param("lr", "0.01")]);

        await LogAsync(runId, parameters: [new Param("lr", "0.01"), new Param("epochs", "5")]);

        Assert.Equal([new Param("epochs", "5"), new Param("lr", "0.01")], (await GetRunAsync(runId)).Params.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task LogBatch_DifferentParamValue_ThrowsInvalidParameterValueAndWritesNothing()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());
        await LogAsync(runId, parameters: [new Param("lr", "0.01")]);

        var error = await AssertErrorAsync(ErrorCode.InvalidParameterValue, () => LogAsync(runId,
            metrics: [new Metric("loss", 1, Now, 0)],
            parameters: [new Param("fresh", "x"), new Param("lr", "0.02")],
            tags: [new Tag("t", "v")]));

        Assert.Contains("lr", error.Message, StringComparison.Ordinal);
        var run = await GetRunAsync(runId);
        Assert.Equal([new Param("lr", "0.01")], run.Params);
        Assert.Empty(run.Metrics);
        Assert.Empty(run.Tags);
    }

    [Fact]
    public async Task LogBatch_DuplicateMetricRows_AreAbsorbed()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());
        var metric = new Metric("loss", 0.5, Now, 3);

        await LogAsync(runId, metrics: [metric, metric]);
        await LogAsync(runId, metrics: [metric]);

        Assert.Equal([metric], await HistoryAsync(runId, "loss", 0, 100, Ct));
        Assert.Equal([metric], (await GetRunAsync(runId)).Metrics);
    }

    [Fact]
    public async Task LogBatch_SameStepAndTimestampDifferentValues_KeepsBoth()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());

        await LogAsync(runId, metrics: [new Metric("loss", 0.5, Now, 3), new Metric("loss", 0.7, Now, 3)]);

        var history = await HistoryAsync(runId, "loss", 0, 100, Ct);
        Assert.Equal([0.5, 0.7], history.Select(m => m.Value).Order());
    }

    [Fact]
    public async Task LogBatch_LatestMetric_IsHighestStepThenTimestamp()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());

        // Within one batch: the higher step wins even though it is older.
        await LogAsync(runId, metrics: [new Metric("m", 1, Now + 100, 5), new Metric("m", 2, Now + 999, 3)]);
        var afterFirst = Assert.Single((await GetRunAsync(runId)).Metrics);
        // Across batches: same step, later timestamp wins; a lower step never replaces it.
        await LogAsync(runId, metrics: [new Metric("m", 3, Now + 200, 5)]);
        await LogAsync(runId, metrics: [new Metric("m", 4, Now + 5000, 4)]);
        await LogAsync(runId, metrics: [new Metric("m", 5, Now + 150, 5)]);
        var afterAll = Assert.Single((await GetRunAsync(runId)).Metrics);

        Assert.Equal(new Metric("m", 1, Now + 100, 5), afterFirst);
        Assert.Equal(new Metric("m", 3, Now + 200, 5), afterAll);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.MaxValue)]
    [InlineData(-0.000123456789012345)]
    public async Task LogBatch_SpecialValues_RoundTripInHistoryAndLatest(double value)
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());

        await LogMetricAsync(runId, "m", value, Now, 1);

        // Metric equality goes through double.Equals, for which NaN equals NaN.
        var expected = new Metric("m", value, Now, 1);
        Assert.Equal([expected], await HistoryAsync(runId, "m", 0, 10, Ct));
        Assert.Equal([expected], (await GetRunAsync(runId)).Metrics);
    }

    [Fact]
    public async Task LogBatch_NaNAfterFiniteAtHigherStep_BecomesLatest()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());

        await LogMetricAsync(runId, "m", 1.5, Now, 1);
        await LogMetricAsync(runId, "m", double.NaN, Now, 2);

        Assert.True(double.IsNaN(Assert.Single((await GetRunAsync(runId)).Metrics).Value));
    }

    [Fact]
    public async Task LogBatch_TagTwiceInOneBatch_LastValueWins()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());

        await LogAsync(runId, tags: [new Tag("t", "first"), new Tag("t", "second")]);
        await LogAsync(runId, tags: [new Tag("u", "x")]);
        await LogAsync(runId, tags: [new Tag("u", "y")]);

        Assert.Equal([new Tag("t", "second"), new Tag("u", "y")], (await GetRunAsync(runId)).Tags.OrderBy(t => t.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task LogBatch_RunNameTag_RenamesRun()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync(), "before");

        await LogAsync(runId, tags: [new Tag("mlflow.runName", "after")]);

        Assert.Equal("after", (await GetRunAsync(runId)).Info.RunName);
    }

    [Fact]
    public async Task LogBatch_ManyRows_AreAllWritten()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());
        var metrics = Enumerable.Range(0, 250).Select(i => new Metric("m", i, Now + i, i)).ToArray();
        var parameters = Enumerable.Range(0, 120).Select(i => new Param($"p{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();

        await LogAsync(runId, metrics, parameters);

        var run = await GetRunAsync(runId);
        Assert.Equal(250, (await HistoryAsync(runId, "m", 0, 1000, Ct)).Count);
        Assert.Equal(new Metric("m", 249, Now + 249, 249), Assert.Single(run.Metrics));
        Assert.Equal(120, run.Params.Count);
    }

    [Fact]
    public async Task LogBatch_UnknownRun_ThrowsResourceDoesNotExist() =>
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => LogMetricAsync(Guid.NewGuid().ToString("N"), "m", 1));

    [Fact]
    public async Task LogBatch_DeletedRun_ThrowsInvalidParameterValue()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());
        await Store.SetRunLifecycleAsync(runId, LifecycleStage.Deleted, Now, AuditContext.System, Ct);

        await AssertErrorAsync(ErrorCode.InvalidParameterValue, () => LogMetricAsync(runId, "m", 1));
    }

    [Fact]
    public async Task GetMetricHistory_UnorderedWrites_ReturnsByStepThenTimestamp()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());
        await LogAsync(runId, metrics: [new Metric("m", 30, Now + 1, 2), new Metric("m", 10, Now + 9, 0)]);
        await LogAsync(runId, metrics: [new Metric("m", 21, Now + 5, 1), new Metric("m", 20, Now + 4, 1), new Metric("other", 99, Now, 0)]);

        var history = await HistoryAsync(runId, "m", 0, 100, Ct);

        Assert.Equal(
            [new Metric("m", 10, Now + 9, 0), new Metric("m", 20, Now + 4, 1), new Metric("m", 21, Now + 5, 1), new Metric("m", 30, Now + 1, 2)],
            history);
    }

    [Fact]
    public async Task GetMetricHistory_OffsetAndLimit_ReturnConsecutivePages()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());
        await LogAsync(runId, metrics: Enumerable.Range(0, 7).Reverse().Select(i => new Metric("m", i * 10, Now, i)).ToArray());

        var first = await HistoryAsync(runId, "m", 0, 3, Ct);
        var second = await HistoryAsync(runId, "m", 3, 3, Ct);
        var last = await HistoryAsync(runId, "m", 6, 3, Ct);
        var beyond = await HistoryAsync(runId, "m", 7, 3, Ct);

        Assert.Equal([0L, 1, 2], first.Select(m => m.Step));
        Assert.Equal([3L, 4, 5], second.Select(m => m.Step));
        Assert.Equal([6L], last.Select(m => m.Step));
        Assert.Empty(beyond);
    }

    [Fact]
    public async Task GetMetricHistory_UnknownKey_ReturnsEmpty()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());
        await LogMetricAsync(runId, "m", 1);

        Assert.Empty(await HistoryAsync(runId, "M", 0, 100, Ct));
    }
}
