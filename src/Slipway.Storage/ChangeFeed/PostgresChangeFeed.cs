using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Slipway.Storage.ChangeFeed;

/// <summary>
/// The PostgreSQL feed: a store write sends its notices with <c>pg_notify</c> inside its own transaction, so they are
/// delivered exactly when it commits and never for a rolled-back change. Every replica (the writer too) receives them
/// through <see cref="PostgresChangeListener"/>'s dedicated connection and hands them to its subscribers.
/// </summary>
internal sealed class PostgresChangeFeed(BackendStore store, ILogger<PostgresChangeFeed> logger) : ChangeFeedBase(logger)
{
    /// <summary>The NOTIFY channel every replica listens on.</summary>
    public const string Channel = "slipway_changes";

    private const string NotifySql = "SELECT pg_notify('" + Channel + "', {0})";

    public override async Task PublishAsync(ChangeNotice notice, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("payload", notice.Format());
        await command.ExecuteNonQueryAsync(ct);
    }

    internal override async Task EnlistAsync(SlipwayDbContext db, IReadOnlyList<ChangeNotice> notices)
    {
        // PostgreSQL folds identical payloads of one transaction into one notification.
        foreach (var notice in notices)
            await db.Database.ExecuteSqlRawAsync(NotifySql, [notice.Format()], CancellationToken.None);
    }

    // Delivery comes back through the listener, to this replica as to the others.
    internal override void Committed(IReadOnlyList<ChangeNotice> notices)
    {
    }

    /// <summary>Called by the listener for every notification (and with <see cref="ChangeNotice.Resync"/> after a reconnect).</summary>
    internal void Deliver(ChangeNotice notice) => Dispatch(notice);
}
