using Slipway.Core.Threading;

namespace Slipway.Pipelines.Tests.Core;

public sealed class PeriodicWorkTests
{
    [Fact]
    public async Task RunAsync_FailingPass_IsReportedAndTheNextTickRunsAgain()
    {
        using var stop = new CancellationTokenSource();
        var passes = 0;
        var failures = new List<Exception>();
        var thirdPass = new TaskCompletionSource();

        var loop = PeriodicWork.RunAsync(TimeSpan.FromMilliseconds(10), TimeProvider.System, runFirst: true, _ =>
        {
            if (Interlocked.Increment(ref passes) == 3)
                thirdPass.TrySetResult();
            return passes == 1 ? Task.FromException(new InvalidOperationException("store down")) : Task.CompletedTask;
        }, failures.Add, stop.Token);
        await thirdPass.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("store down", Assert.Single(failures).Message);
        Assert.True(loop.IsCompletedSuccessfully, "a stop ends the loop quietly");
    }

    [Fact]
    public async Task RunAsync_WithoutRunFirst_WaitsForTheFirstTick()
    {
        using var stop = new CancellationTokenSource();
        var passes = 0;

        var loop = PeriodicWork.RunAsync(TimeSpan.FromHours(1), TimeProvider.System, runFirst: false, _ =>
        {
            passes++;
            return Task.CompletedTask;
        }, _ => { }, stop.Token);
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, passes);
    }

    [Fact]
    public async Task RunAsync_PassCancelledByTheStop_IsNotReportedAsAFailure()
    {
        using var stop = new CancellationTokenSource();
        var failures = new List<Exception>();
        var started = new TaskCompletionSource();

        var loop = PeriodicWork.RunAsync(TimeSpan.FromHours(1), TimeProvider.System, runFirst: true, async ct =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }, failures.Add, stop.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(failures);
    }
}
