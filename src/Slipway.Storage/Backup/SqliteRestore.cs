using Microsoft.Data.Sqlite;

namespace Slipway.Storage.Backup;

/// <summary>
/// Restores a SQLite backup: the backup is copied beside the target and checked there before the target is touched;
/// an existing target is replaced only with <c>--force</c> and only when no server has it open; stale WAL files of
/// the old database are removed before the checked copy is renamed over it.
/// </summary>
internal static class SqliteRestore
{
    public static async Task RestoreAsync(string databaseFile, string backupFile, bool force, CancellationToken ct)
    {
        if (!File.Exists(backupFile))
            throw new FileNotFoundException($"There is no backup file at {Path.GetFullPath(backupFile)}.");
        var targetExists = File.Exists(databaseFile);
        if (targetExists && !force)
            throw new BackupRefusedException($"{databaseFile} already exists. Pass --force to replace it (stop every server using it first).");

        var temp = DatabaseBackup.TempFileBeside(databaseFile, "restore");
        try
        {
            File.Copy(backupFile, temp);
            DatabaseSummary summary;
            try
            {
                summary = await SqliteBackup.VerifyAsync(temp, ct);
            }
            catch (InvalidDataException e)
            {
                throw new BackupRefusedException($"{backupFile} is not a usable Slipway backup: {e.Message.TrimEnd('.')}. Nothing was changed.");
            }
            EnsureKnownSchema(summary, backupFile);
            if (targetExists && await SqliteBackup.IsInUseAsync(databaseFile, ct))
                throw new BackupRefusedException($"{databaseFile} is open in another process (a running server?). Stop it, then restore again. Nothing was changed.");

            // A -wal left by the old database would be replayed onto the restored one; it belongs to the old file.
            File.Delete(databaseFile + "-wal");
            File.Delete(databaseFile + "-shm");
            File.Move(temp, databaseFile, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>A backup made by a newer Slipway has tables this version does not know how to keep consistent.</summary>
    internal static void EnsureKnownSchema(DatabaseSummary summary, string backupFile)
    {
        var known = DatabaseBackup.KnownMigrations();
        if (known.Count > 0 && string.CompareOrdinal(summary.MigrationId, known[^1]) > 0)
            throw new BackupRefusedException(
                $"{backupFile} was written by a newer Slipway (schema {summary.MigrationId}; this version knows up to {known[^1]}). Restore it with that version or newer.");
    }

    /// <summary>Closes pooled connections this process holds on the file, so the next restore's in-use check sees only others.</summary>
    public static void ReleasePooledConnections(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }
}

/// <summary>A backup or restore was refused before anything was changed (the message says why and what to do).</summary>
public sealed class BackupRefusedException(string message) : Exception(message);
