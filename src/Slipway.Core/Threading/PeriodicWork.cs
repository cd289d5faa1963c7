namespace Slipway.Core.Threading;

/// <summary>
/// The loop of a background worker that does one pass every interval (schedulers, re-sends): a failed pass is
/// reported and the next tick tries again; the loop ends quietly when <c>stoppingToken</c> is cancelled.
/// </summary>
public static class PeriodicWork
{
    /// <param name="interval">Time between passes, on <paramref name="time"/>'s clock (tests advance a fake one).</param>
    /// <param name="runFirst">Do a pass at once, before the first interval has passed.</param>
    /// <param name="pass">One pass; it should honour the token.</param>
    /// <param name="onFailure">Told of a pass that threw while the worker was not stopping (typically a log line).</param>
    public static async Task RunAsync(
        TimeSpan interval, TimeProvider time, bool runFirst, Func<CancellationToken, Task> pass, Action<Exception> onFailure,
        CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            if (runFirst)
                await RunPassAsync(pass, onFailure, stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await RunPassAsync(pass, onFailure, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static async Task RunPassAsync(Func<CancellationToken, Task> pass, Action<Exception> onFailure, CancellationToken stoppingToken)
    {
        try
        {
            await pass(stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            onFailure(exception);
        }
    }
}
