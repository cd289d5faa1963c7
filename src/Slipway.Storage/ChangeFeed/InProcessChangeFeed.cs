using Microsoft.Extensions.Logging;

namespace Slipway.Storage.ChangeFeed;

/// <summary>
/// The SQLite feed: one machine, one process writing, so a committed change is handed to this process's subscribers
/// straight away. (Several processes on one SQLite file still agree within the polling bounds.)
/// </summary>
internal sealed class InProcessChangeFeed(ILogger<InProcessChangeFeed> logger) : ChangeFeedBase(logger)
{
    public override Task PublishAsync(ChangeNotice notice, CancellationToken ct)
    {
        Dispatch(notice);
        return Task.CompletedTask;
    }

    internal override Task EnlistAsync(SlipwayDbContext db, IReadOnlyList<ChangeNotice> notices) => Task.CompletedTask;

    internal override void Committed(IReadOnlyList<ChangeNotice> notices)
    {
        foreach (var notice in notices)
            Dispatch(notice);
    }
}
