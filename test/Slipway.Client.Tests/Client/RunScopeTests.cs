using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Client;

public sealed class RunScopeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly SlipwayClient _client = fixture.Client;

    [Fact]
    public async Task StartRunAsync_CompletedScope_EndsFinishedWithMetricsSent()
    {
        string runId;
        await using (var run = await _client.StartRunAsync(Names.Unique("scope-ok"), "train"))
        {
            runId = run.RunId;
            for (var step = 0; step < 3; step++)
                run.LogMetric("loss", 1.0 / (step + 1), step);
            await run.CompleteAsync();
        }

        var finished = await _client.GetRunAsync(runId);
        Assert.Equal(RunStatus.Finished, finished.Info.Status);
        Assert.NotNull(finished.Info.EndTime);
        Assert.Equal("train", finished.Info.RunName);
        Assert.Equal(3, (await _client.GetMetricHistoryAsync(runId, "loss")).Count);
    }

    [Fact]
    public async Task StartRunAsync_ExceptionLeavesScope_EndsFailedWithMetricsSent()
    {
        string? runId = null;

        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await using var run = await _client.StartRunAsync(Names.Unique("scope-fail"), "crash");
            runId = run.RunId;
            run.LogMetric("loss", 0.7, 0);
            throw new InvalidDataException("training diverged");
        });

        Assert.NotNull(runId);
        var failed = await _client.GetRunAsync(runId);
        Assert.Equal(RunStatus.Failed, failed.Info.Status);
        Assert.NotNull(failed.Info.EndTime);
        Assert.Single(await _client.GetMetricHistoryAsync(runId, "loss"));
    }

    [Fact]
    public async Task StartRunAsync_NewExperimentName_CreatesExperimentAndSourceTags()
    {
        var name = Names.Unique("scope-newexp");

        await using var run = await _client.StartRunAsync(name);
        await run.CompleteAsync();

        var experiment = await _client.GetExperimentByNameAsync(name);
        Assert.Equal(experiment?.ExperimentId, run.ExperimentId);
        var tags = (await _client.GetRunAsync(run.RunId)).Data.Tags;
        Assert.Contains(tags, t => t.Key == SlipwayClient.UserTag);
        Assert.Contains(new Tag("mlflow.source.type", "LOCAL"), tags);
    }

    [Fact]
    public async Task StartRunAsync_ExistingExperimentId_UsesIt()
    {
        var experimentId = await _client.CreateExperimentAsync(Names.Unique("scope-byid"));

        await using var run = await _client.StartRunAsync(experimentId);
        await run.CompleteAsync();

        Assert.Equal(experimentId, run.ExperimentId);
    }

    [Fact]
    public async Task TrackRunAsync_DelegateReturns_EndsFinished()
    {
        var runId = await _client.TrackRunAsync(Names.Unique("track-ok"), "ok", async run =>
        {
            await run.LogParameterAsync("lr", "0.1");
            run.LogMetric("acc", 0.9);
        });

        var run = await _client.GetRunAsync(runId);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Contains(new Param("lr", "0.1"), run.Data.Params);
        Assert.Equal(0.9, Assert.Single(run.Data.Metrics).Value);
    }

    [Fact]
    public async Task TrackRunAsync_DelegateThrows_EndsFailedAndRethrows()
    {
        string? runId = null;

        await Assert.ThrowsAsync<TimeoutException>(() => _client.TrackRunAsync(Names.Unique("track-fail"), "boom", run =>
        {
            runId = run.RunId;
            throw new TimeoutException("data source timed out");
        }));

        Assert.Equal(RunStatus.Failed, (await _client.GetRunAsync(runId!)).Info.Status);
    }

    [Fact]
    public async Task LogArtifactAsync_InsideScope_ListsUnderRun()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("notes.txt", "hello"u8.ToArray());

        await using var run = await _client.StartRunAsync(Names.Unique("scope-art"));
        var path = await run.LogArtifactAsync(file, "docs");
        await run.CompleteAsync();

        Assert.Equal("docs/notes.txt", path);
        var listed = Assert.Single(await _client.ListArtifactsAsync(run.RunId, "docs"));
        Assert.Equal("docs/notes.txt", listed.Path);
        Assert.Equal(5, listed.FileSize);
    }
}
