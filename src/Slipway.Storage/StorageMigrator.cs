using Microsoft.EntityFrameworkCore;

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
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock({0})", [MigrationLockKey], ct);
            try
            {
                await db.Database.MigrateAsync(ct);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock({0})", [MigrationLockKey], CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
