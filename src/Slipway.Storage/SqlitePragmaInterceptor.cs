using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Slipway.Storage;

/// <summary>
/// Per-connection SQLite settings. WAL (set once, persistent in the file) with synchronous=NORMAL never loses a
/// committed transaction when the process dies; only an OS crash or power loss can drop the last commits.
/// </summary>
internal sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-16000; PRAGMA wal_autocheckpoint=10000; PRAGMA temp_store=MEMORY;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}
