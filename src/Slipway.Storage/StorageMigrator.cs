using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Slipway.Storage;

/// <summary>Schema upgrades, at server start and through <c>slipway db upgrade</c>.</summary>
public static class StorageMigrator
{
    public static async Task UpgradeAsync(string backendStoreUri, CancellationToken ct = default)
    {
        var store = BackendStore.Parse(backendStoreUri);
        var builder = new DbContextOptionsBuilder<SlipwayDbContext>();
        StorageServiceCollectionExtensions.Configure(builder, store);
        await using var db = new SlipwayDbContext(builder.Options);
        await MigrateAsync(db, store, ct);
    }

    internal static async Task MigrateAsync(SlipwayDbContext db, BackendStore store, CancellationToken ct)
    {
        if (store.SqliteFilePath is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        if (store.Provider == StorageProvider.PostgreSql)
        {
            await MigrateUnderAdvisoryLockAsync(db, ct);
            return;
        }
        await db.Database.MigrateAsync(ct);
    }

    // Any fixed key: it only has to be the same in every replica. ("slipway" in ASCII.)
    private const long MigrationLockKey = 0x736C6970776179;

    /// <summary>
    /// Replicas starting together would each apply the pending migrations (and all but one fail on "relation already
    /// exists"): a session-level advisory lock on the connection the migration runs on lets one migrate while the
    /// others wait, then find nothing left to do.
    /// </summary>
    private static async Task MigrateUnderAdvisoryLockAsync(SlipwayDbContext db, CancellationToken ct)
    {
        // EF's Migrate creates a missing database, but only when it opens the connection itself: the lock needs the
        // connection open first, so the database is created here (a replica losing that race sees 42P04 and goes on).
        await CreateDatabaseIfMissingAsync(db, ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            // Another replica's migration can take minutes: the wait has no command timeout and is not under the
            // retry strategy (a timed-out, re-run lock wait would crash-loop the waiting replica); ct still ends it.
            await RunLockCommandAsync(db, "SELECT pg_advisory_lock(@key)", ct);
            try
            {
                await db.Database.MigrateAsync(ct);
            }
            finally
            {
                await RunLockCommandAsync(db, "SELECT pg_advisory_unlock(@key)", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task CreateDatabaseIfMissingAsync(SlipwayDbContext db, CancellationToken ct)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(ct))
            return;
        try
        {
            await creator.CreateAsync(ct);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState is "42P04" or "23505")
        {
            // Another replica created it between the check and the CREATE DATABASE (23505 when both raced in the
            // catalog itself).
        }
    }

    private static async Task RunLockCommandAsync(SlipwayDbContext db, string sql, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        var key = command.CreateParameter();
        key.ParameterName = "key";
        key.Value = MigrationLockKey;
        command.Parameters.Add(key);
        await command.ExecuteNonQueryAsync(ct);
    }
}
