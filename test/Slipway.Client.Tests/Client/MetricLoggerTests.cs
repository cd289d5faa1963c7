using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Client;

/// <summary>The background metric logger of <see cref="ActiveRun"/>, against a real server.</summary>
public sealed class MetricLoggerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly SlipwayClient _client = fixture.Client;

    [Fact]
    public async Task LogMetric_MoreValuesThanQueueFromSeveralThreads_AllDelivered()
    {
        const int Writers = 4;
        const int PerWriter = 3_000; // 12,000 in all: more than the queue holds, so writers meet back-pressure
        await using var run = await _client.StartRunAsync(Names.Unique("logger-many"));

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < PerWriter; i++)
                run.LogMetric($"m{w}", i, i);
        })));
        await run.FlushAsync();

        for (var w = 0; w < Writers; w++)
        {
            var history = await _client.GetMetricHistoryAsync(run.RunId, $"m{w}");
            Assert.Equal(Enumerable.Range(0, PerWriter).Select(i => (long)i), history.Select(m => m.Step).Order());
        }

        await run.CompleteAsync();
    }

    [Fact]
    public async Task LogMetric_WithoutFlush_IsSentByTheBackgroundTask()
    {
        await using var run = await _client.StartRunAsync(Names.Unique("logger-timer"));

        run.LogMetric("heartbeat", 1, 0);

        // No FlushAsync: the value must go out on its own once the batching window closes.
        IReadOnlyList<Metric> history = [];
        for (var attempt = 0; attempt < 100 && history.Count == 0; attempt++)
        {
            await Task.Delay(100);
            history = await _client.GetMetricHistoryAsync(run.RunId, "heartbeat");
        }

        Assert.Single(history);
        await run.CompleteAsync();
    }

    [Fact]
    public async Task LogMetricAsync_Values_KeepValueStepAndTimestamp()
    {
        await using var run = await _client.StartRunAsync(Names.Unique("logger-async"));
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await run.LogMetricAsync("lr", 0.125, 7);
        await run.FlushAsync();

        var metric = Assert.Single(await _client.GetMetricHistoryAsync(run.RunId, "lr"));
        Assert.Equal(0.125, metric.Value);
        Assert.Equal(7, metric.Step);
        Assert.InRange(metric.Timestamp, before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await run.CompleteAsync();
    }

    [Fact]
    public async Task FlushAsync_ServerRejectsBatch_ThrowsApiError()
    {
        await using var run = await _client.StartRunAsync(Names.Unique("logger-bad"));

        run.LogMetric(new string('k', 300), 1); // keys are limited to 250 characters

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => run.FlushAsync());
        Assert.Equal(ApiErrorCodes.InvalidParameterValue, error.ErrorCode);
        await run.CompleteAsync();
    }
}
