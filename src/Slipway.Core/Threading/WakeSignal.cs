namespace Slipway.Core.Threading;

/// <summary>
/// Wakes a background loop early: any number of <see cref="Notify"/> calls between two waits count as one, and a
/// loop that finds no signal still wakes after its poll interval (so work queued by another replica is seen too).
/// </summary>
public class WakeSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by a concurrent caller.
            }
        }
    }

    /// <summary>Waits for a signal or the timeout; true when signalled.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
