using Microsoft.Extensions.Logging;

namespace Slipway.Web.Components.Shared;

/// <summary>
/// Re-reads something every <c>interval</c> while a component is on screen, the one way pages poll: each tick runs
/// through the component's dispatcher (<c>InvokeAsync</c>), so it may change the component's state and render; a
/// tick that throws is logged and reported through <c>onFailure</c>, and polling goes on (a database timeout must not
/// freeze the page for good); the tick decides when to stop (a finished run) and disposing the component stops it.
/// </summary>
public sealed class Poller : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _interval;
    private readonly Func<Func<Task>, Task> _dispatch;
    private readonly ILogger _logger;
    private readonly string _operation;
    private Task? _loop;

    /// <param name="interval">The time between the end of one tick and the start of the next.</param>
    /// <param name="dispatch">The component's <c>InvokeAsync</c>.</param>
    /// <param name="logger">Where a failed tick is logged.</param>
    /// <param name="operation">What a tick does, for the log, e.g. "refresh of pipeline run 42".</param>
    public Poller(TimeSpan interval, Func<Func<Task>, Task> dispatch, ILogger logger, string operation)
    {
        _interval = interval;
        _dispatch = dispatch;
        _logger = logger;
        _operation = operation;
    }

    /// <summary>Whether the poller is between its start and its end (the tick said stop, or it was disposed).</summary>
    public bool IsRunning => _loop is { IsCompleted: false };

    /// <summary>
    /// Starts polling: the first tick comes at once when <paramref name="immediately"/>, else after one interval.
    /// <paramref name="tick"/> returns whether to keep going; <paramref name="onFailure"/> (also on the dispatcher)
    /// gets each failure, and <c>null</c> after the next good tick.
    /// </summary>
    public void Start(Func<CancellationToken, Task<bool>> tick, Action<Exception?>? onFailure = null, bool immediately = false)
    {
        if (_loop is not null)
            throw new InvalidOperationException("The poller has already been started.");
        _loop = RunAsync(tick, onFailure ?? (_ => { }), immediately, _stop.Token);
    }

    private async Task RunAsync(Func<CancellationToken, Task<bool>> tick, Action<Exception?> onFailure, bool immediately, CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(_interval);
            var failing = false;
            var first = immediately;
            while (first || await timer.WaitForNextTickAsync(ct))
            {
                first = false;
                var keepGoing = true;
                Exception? failure = null;
                try
                {
                    await _dispatch(async () => keepGoing = await tick(ct));
                }
                catch (Exception exception) when (!ct.IsCancellationRequested)
                {
                    // Includes an OperationCanceledException of a timeout inside the tick: that is a failure too.
                    failure = exception;
                    if (exception is not Slipway.Core.Errors.SlipwayException)
                        UiLog.OperationFailed(_logger, _operation, exception);
                }
                if (failure is not null || failing)
                    await _dispatch(() => { onFailure(failure); return Task.CompletedTask; });
                failing = failure is not null;
                if (!keepGoing)
                    return;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Disposed with its component.
        }
        catch (ObjectDisposedException) when (ct.IsCancellationRequested)
        {
            // The circuit's renderer went away while a tick was being dispatched.
        }
    }

    /// <summary>Stops polling and waits for a tick in progress to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
            await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                // A tick that ended in an error while the page closed has nothing left to report to.
            }
        }
        _stop.Dispose();
    }
}
