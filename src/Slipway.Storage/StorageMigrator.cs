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
        await db.Database.MigrateAsync(ct);
    }
}
