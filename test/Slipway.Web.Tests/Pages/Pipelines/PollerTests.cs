using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Web.Components.Shared;

namespace Slipway.Web.Tests.Pages.Pipelines;

/// <summary>The shared poller behind the pipeline run page and the endpoint's live figures, without a browser.</summary>
public sealed class PollerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FailingTick_IsReportedAndPollingGoesOn_UntilDisposed()
    {
        var ticks = 0;
        var failures = new List<Exception?>();
        var thirdTick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var poller = new Poller(Interval, Dispatch, NullLogger.Instance, "test refresh");

        poller.Start(_ =>
        {
            var tick = NextTick();
            if (tick == 1)
                throw new TimeoutException("database timeout");
            if (tick == 3)
                thirdTick.TrySetResult();
            return Task.FromResult(true);
        }, failures.Add);
        await thirdTick.Task.WaitAsync(Patience);

        Assert.True(poller.IsRunning);
        // The failure was reported, then cleared by the next good tick.
        Assert.IsType<TimeoutException>(failures[0]);
        Assert.Null(failures[1]);

        await poller.DisposeAsync();
        Assert.False(poller.IsRunning);
        var afterDispose = Volatile.Read(ref ticks);
        await Task.Delay(Interval * 10);
        Assert.Equal(afterDispose, Volatile.Read(ref ticks));

        int NextTick() => Interlocked.Increment(ref ticks);
    }

    [Fact]
    public async Task TickAnswersFalse_PollingStops()
    {
        var ticks = 0;
        var poller = new Poller(Interval, Dispatch, NullLogger.Instance, "test refresh");

        poller.Start(_ => Task.FromResult(Interlocked.Increment(ref ticks) < 2), immediately: true);
        await WaitUntilAsync(() => !poller.IsRunning);

        Assert.Equal(2, ticks);
        await poller.DisposeAsync();
    }

    [Fact]
    public async Task Dispose_WhileATickWaits_CancelsItsTokenAndEndsQuietly()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var poller = new Poller(Interval, Dispatch, NullLogger.Instance, "test refresh");
        poller.Start(async ct =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return true;
        }, immediately: true);
        await started.Task.WaitAsync(Patience);

        await poller.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.False(poller.IsRunning);
    }

    /// <summary>What a component's InvokeAsync does, minus the renderer.</summary>
    private static Task Dispatch(Func<Task> work) => work();

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
            await Task.Delay(Interval, timeout.Token);
    }
}
