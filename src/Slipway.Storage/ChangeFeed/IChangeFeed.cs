namespace Slipway.Storage.ChangeFeed;

/// <summary>
/// Tells every replica of changes that caches and serving must follow at once (alias moves, endpoint updates). On
/// PostgreSQL a change is sent with <c>pg_notify</c> in the transaction that makes it, so it reaches every replica
/// (this one too) only if and when that commits — typically within milliseconds. On SQLite, where every writer is in
/// this process, subscribers hear of a change right after its commit. A lost notification is covered by the polling
/// that stays in place (alias cache lifetime, endpoint reconcile interval), which bounds staleness anyway.
/// </summary>
public interface IChangeFeed
{
    /// <summary>
    /// Calls <paramref name="handler"/> for every change made by any replica (on a background thread; it must be quick
    /// and must not throw). Dispose the result to stop.
    /// </summary>
    IDisposable Subscribe(Action<ChangeNotice> handler);

    /// <summary>Announces a change already committed outside the stores (the stores announce their own in their transaction).</summary>
    Task PublishAsync(ChangeNotice notice, CancellationToken ct);
}
