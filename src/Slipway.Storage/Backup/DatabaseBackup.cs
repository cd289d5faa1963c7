using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Slipway.Storage.Backup;

/// <summary>
/// <c>slipway db backup</c> and <c>slipway db restore</c> for a <c>--backend-store-uri</c>: SQLite through its online
/// backup API, PostgreSQL through <c>pg_dump</c>/<c>pg_restore</c>. Artifacts are not in the database and are backed
/// up with their store's own tools (see docs/operations.md).
/// </summary>
public static class DatabaseBackup
{
    /// <summary>Writes a consistent backup of the live database to <paramref name="outFile"/> (replaced atomically).</summary>
    public static async Task<BackupResult> BackupAsync(string backendStoreUri, string outFile, CancellationToken ct = default)
    {
        var store = BackendStore.Parse(backendStoreUri);
        try
        {
            return store.SqliteFilePath is { } file
                ? await SqliteBackup.BackupAsync(file, outFile, ct)
                : await PostgresBackup.BackupAsync(store.ConnectionString, outFile, ct);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"No backup of {BackendStore.Redact(backendStoreUri)} was written: {e.Message.TrimEnd('.')}.", e);
        }
    }

    /// <summary>
    /// Replaces the database with <paramref name="backupFile"/> after checking it, then applies the migrations this
    /// version has and the backup lacks. Throws <see cref="BackupRefusedException"/>, having changed nothing, for a
    /// file that is not a Slipway backup, an existing database without <paramref name="force"/>, or one in use.
    /// </summary>
    public static async Task<BackupResult> RestoreAsync(string backendStoreUri, string backupFile, bool force, CancellationToken ct = default)
    {
        var store = BackendStore.Parse(backendStoreUri);
        if (store.SqliteFilePath is { } file)
            await SqliteRestore.RestoreAsync(file, backupFile, force, ct);
        else
            await PostgresBackup.RestoreAsync(store.ConnectionString, backupFile, force, ct);

        await StorageMigrator.UpgradeAsync(backendStoreUri, ct);
        DatabaseSummary summary;
        if (store.SqliteFilePath is { } restored)
        {
            SqliteRestore.ReleasePooledConnections(store.ConnectionString);
            summary = await SqliteBackup.ReadSummaryAsync(restored, ct);
        }
        else
        {
            await using (var pooled = new NpgsqlConnection(store.ConnectionString))
                NpgsqlConnection.ClearPool(pooled);
            summary = await PostgresBackup.ReadSummaryAsync(store.ConnectionString, ct);
        }
        return new BackupResult(Path.GetFullPath(backupFile), new FileInfo(backupFile).Length, summary);
    }

    /// <summary>A temporary file in the folder of <paramref name="target"/>, so that renaming it over the target is atomic.</summary>
    internal static string TempFileBeside(string target, string purpose)
    {
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $".{Path.GetFileName(target)}.{purpose}-{Guid.NewGuid():N}.tmp");
    }

    /// <summary>The migrations this version of Slipway applies, oldest first.</summary>
    internal static IReadOnlyList<string> KnownMigrations()
    {
        var options = new DbContextOptionsBuilder<SlipwayDbContext>().UseSqlite("Data Source=:memory:").Options;
        using var db = new SlipwayDbContext(options);
        return db.Database.GetMigrations().Order(StringComparer.Ordinal).ToList();
    }
}
