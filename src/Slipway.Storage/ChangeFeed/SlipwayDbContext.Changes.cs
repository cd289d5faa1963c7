using Slipway.Storage.ChangeFeed;

namespace Slipway.Storage;

public sealed partial class SlipwayDbContext
{
    // Pooled contexts are reused: StoreExecutor clears this at the start of every write attempt.
    private readonly List<ChangeNotice> _pendingChanges = [];

    /// <summary>The notices announced by the write running on this context, sent when (and only if) it commits.</summary>
    internal IReadOnlyList<ChangeNotice> PendingChanges => _pendingChanges;

    /// <summary>Announces <paramref name="notice"/> to every replica with the current write (see <see cref="IChangeFeed"/>).</summary>
    internal void AnnounceChange(ChangeNotice notice)
    {
        if (!_pendingChanges.Contains(notice))
            _pendingChanges.Add(notice);
    }

    internal void ClearPendingChanges() => _pendingChanges.Clear();
}
