using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Client;

/// <summary>Run-scope and batching behaviour observed on the wire, with a fake server.</summary>
public sealed class ActiveRunTests
{
    [Fact]
    public async Task CompleteAsync_2500QueuedValues_SentInBatchesOfAtMost1000ThenFinished()
    {
        var handler = FakeTracking.Create();
        using var client = StubHandler.CreateClient(handler);

        await using (var run = await client.StartRunAsync("exp", "train"))
        {
            for (var i = 0; i < 2500; i++)
                run.LogMetric("loss", i, i);
            await run.CompleteAsync();
        }

        var batches = handler.Requests.Where(r => r.Path.EndsWith("/runs/log-batch", StringComparison.Ordinal)).ToList();
        Assert.All(batches, b => Assert.InRange(FakeTracking.CountMetrics(b), 1, 1000));
        Assert.Equal(2500, batches.Sum(FakeTracking.CountMetrics));
        var last = handler.Requests[^1];
        Assert.EndsWith("/runs/update", last.Path, StringComparison.Ordinal);
        Assert.Equal("FINISHED", last.Json.GetProperty("status").GetString());
        Assert.True(last.Json.GetProperty("end_time").GetInt64() > 0);
    }

    [Fact]
    public async Task DisposeAsync_WithoutComplete_SendsQueuedValuesThenFailed()
    {
        var handler = FakeTracking.Create();
        using var client = StubHandler.CreateClient(handler);

        await using (var run = await client.StartRunAsync("exp"))
        {
            for (var i = 0; i < 10; i++)
                run.LogMetric("loss", i, i);
        }

        var afterCreate = handler.Requests.SkipWhile(r => !r.Path.EndsWith("/runs/create", StringComparison.Ordinal)).Skip(1).ToList();
        Assert.Equal(10, afterCreate.Where(r => r.Path.EndsWith("/runs/log-batch", StringComparison.Ordinal)).Sum(FakeTracking.CountMetrics));
        Assert.EndsWith("/runs/update", afterCreate[^1].Path, StringComparison.Ordinal);
        Assert.Equal("FAILED", afterCreate[^1].Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TrackRunAsync_Cancelled_EndsKilled()
    {
        var handler = FakeTracking.Create();
        using var client = StubHandler.CreateClient(handler);
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.TrackRunAsync("exp", null, run =>
        {
            cts.Cancel();
            cts.Token.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        }, cts.Token));

        var updates = handler.Requests.Where(r => r.Path.EndsWith("/runs/update", StringComparison.Ordinal)).ToList();
        Assert.Equal("KILLED", Assert.Single(updates).Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task LogMetric_AfterComplete_ThrowsInvalidOperation()
    {
        using var client = StubHandler.CreateClient(FakeTracking.Create());
        await using var run = await client.StartRunAsync("exp");
        await run.CompleteAsync();

        Assert.Throws<InvalidOperationException>(() => run.LogMetric("late", 1));
        Assert.Equal(RunStatus.Finished, run.EndStatus);
    }

    [Fact]
    public async Task CompleteAsync_Twice_ThrowsInvalidOperation()
    {
        using var client = StubHandler.CreateClient(FakeTracking.Create());
        await using var run = await client.StartRunAsync("exp");
        await run.CompleteAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => run.CompleteAsync());
    }

    [Fact]
    public async Task StartRunAsync_ExistingName_CreatesRunInThatExperimentWithUser()
    {
        var handler = FakeTracking.Create();
        using var client = StubHandler.CreateClient(handler);

        await using var run = await client.StartRunAsync("exp", "named", new Dictionary<string, string> { ["k"] = "v" });
        await run.CompleteAsync();

        var create = Assert.Single(handler.Requests, r => r.Path.EndsWith("/runs/create", StringComparison.Ordinal)).Json;
        Assert.Equal("1", create.GetProperty("experiment_id").GetString());
        Assert.Equal("named", create.GetProperty("run_name").GetString());
        Assert.Equal(Environment.UserName, create.GetProperty("user_id").GetString());
        var tags = create.GetProperty("tags").EnumerateArray().ToDictionary(t => t.GetProperty("key").GetString()!, t => t.GetProperty("value").GetString());
        Assert.Equal("v", tags["k"]);
        Assert.Equal(Environment.UserName, tags[SlipwayClient.UserTag]);
    }
}
