namespace Slipway.Storage;

/// <summary>
/// Serializes writers on SQLite, which allows one writer at a time: waiting here in-process is cheap and fair,
/// while letting connections race for the file lock is what produces "database is locked". On PostgreSQL
/// the gate is open and the database arbitrates.
/// </summary>
public sealed class WriteGate(StorageProvider provider)
{
    private readonly SemaphoreSlim? _semaphore = provider == StorageProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;

    public async ValueTask<Releaser> EnterAsync(CancellationToken ct)
    {
        if (_semaphore is not null)
            await _semaphore.WaitAsync(ct);
        return new Releaser(_semaphore);
    }

    public readonly struct Releaser(SemaphoreSlim? semaphore) : IDisposable
    {
        public void Dispose() => semaphore?.Release();
    }
}
