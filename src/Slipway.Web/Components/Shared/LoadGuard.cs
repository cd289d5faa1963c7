namespace Slipway.Web.Components.Shared;

/// <summary>
/// Keeps a component's loads in order: starting a load cancels the one before it, so a slow earlier answer (pick
/// v3, then v2) can never overwrite a newer one. A component holds one guard per kind of load, calls
/// <see cref="Begin"/>, passes the token to the service and applies the result only while
/// <see cref="IsCurrent"/>; disposing the component cancels whatever is still running.
/// </summary>
public sealed class LoadGuard : IDisposable
{
    private CancellationTokenSource? _current;
    private long _generation;
    private bool _disposed;

    /// <summary>Whether a load is running (to disable the controls that would start another).</summary>
    public bool IsLoading { get; private set; }

    /// <summary>Cancels the previous load and starts a new one; its ticket carries the token to pass on.</summary>
    public LoadTicket Begin()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Cancelled, not disposed: the load it belongs to may still hand its token to a driver. A source without
        // timers or links holds nothing the collector cannot take back.
        _current?.Cancel();
        _current = new CancellationTokenSource();
        IsLoading = true;
        return new LoadTicket(++_generation, _current.Token);
    }

    /// <summary>Whether <paramref name="ticket"/> is still the latest load: only then may its result be shown.</summary>
    public bool IsCurrent(LoadTicket ticket) => !_disposed && ticket.Generation == _generation;

    /// <summary>Marks <paramref name="ticket"/>'s load finished; true when it was the latest (its result applies).</summary>
    public bool End(LoadTicket ticket)
    {
        if (!IsCurrent(ticket))
            return false;
        IsLoading = false;
        return true;
    }

    /// <summary>Cancels the running load, e.g. when the component goes away.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        IsLoading = false;
        _current?.Cancel();
        _current = null;
    }
}

/// <summary>One load started by <see cref="LoadGuard.Begin"/>: which it was, and the token that cancels it.</summary>
public readonly record struct LoadTicket(long Generation, CancellationToken Token);
