using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Slipway.Storage.ChangeFeed;

/// <summary>
/// The base of both feeds: the subscriber list (copy-on-write, so dispatch never locks) and the two hooks
/// <see cref="StoreExecutor"/> calls around a write's commit.
/// </summary>
internal abstract partial class ChangeFeedBase(ILogger logger) : IChangeFeed
{
    private ImmutableArray<Action<ChangeNotice>> _handlers = [];

    public IDisposable Subscribe(Action<ChangeNotice> handler)
    {
        ImmutableInterlocked.Update(ref _handlers, (list, added) => list.Add(added), handler);
        return new Subscription(this, handler);
    }

    public abstract Task PublishAsync(ChangeNotice notice, CancellationToken ct);

    /// <summary>Inside the write's transaction, before it commits: the place to send notices that must commit with it.</summary>
    internal abstract Task EnlistAsync(SlipwayDbContext db, IReadOnlyList<ChangeNotice> notices);

    /// <summary>After the write committed.</summary>
    internal abstract void Committed(IReadOnlyList<ChangeNotice> notices);

    /// <summary>Hands a notice to every subscriber; one that throws is logged and does not stop the others.</summary>
    protected void Dispatch(ChangeNotice notice)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                handler(notice);
            }
            catch (Exception e)
            {
                LogHandlerFailed(logger, notice.Format(), e);
            }
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Error, Message = "A change feed subscriber failed on {Notice}")]
    private static partial void LogHandlerFailed(ILogger logger, string notice, Exception exception);

    private sealed class Subscription(ChangeFeedBase feed, Action<ChangeNotice> handler) : IDisposable
    {
        public void Dispose() => ImmutableInterlocked.Update(ref feed._handlers, (list, removed) => list.Remove(removed), handler);
    }
}
