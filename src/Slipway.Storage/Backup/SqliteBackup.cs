using Microsoft.Data.Sqlite;

namespace Slipway.Storage.Backup;

/// <summary>
/// SQLite backups with SQLite's online backup API: one backup step copies a consistent snapshot (a read transaction
/// on the WAL) while the server keeps writing. The copy is made beside the output, checked, switched out of WAL mode so
/// it is one self-contained file, and renamed into place, so the output is either the old file or a whole new backup.
/// </summary>
internal static class SqliteBackup
{
    public static async Task<BackupResult> BackupAsync(string databaseFile, string outFile, CancellationToken ct)
    {
        if (!File.Exists(databaseFile))
            throw new FileNotFoundException($"There is no SQLite database at {databaseFile}.");
        var target = Path.GetFullPath(outFile);
        if (string.Equals(target, databaseFile, StringComparison.Ordinal))
            throw new ArgumentException("The backup file must not be the database itself.");
        var temp = DatabaseBackup.TempFileBeside(target, "backup");
        try
        {
            await using (var source = Open(databaseFile, SqliteOpenMode.ReadWrite))
            await using (var copy = Open(temp, SqliteOpenMode.ReadWriteCreate))
            {
                await ExecuteAsync(source, "PRAGMA busy_timeout=30000;", ct);
                // -1 pages per step: the whole copy runs in one read transaction, so it is one consistent snapshot.
                source.BackupDatabase(copy);
            }
            var summary = await VerifyAsync(temp, ct);
            File.Move(temp, target, overwrite: true);
            return new BackupResult(target, new FileInfo(target).Length, summary);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Checks a database file (integrity_check, a Slipway migrations history) and leaves it in rollback-journal mode,
    /// a single file. Throws <see cref="InvalidDataException"/> naming the problem.
    /// </summary>
    public static async Task<DatabaseSummary> VerifyAsync(string file, CancellationToken ct)
    {
        try
        {
            await using var connection = Open(file, SqliteOpenMode.ReadWrite);
            await ExecuteAsync(connection, "PRAGMA journal_mode=DELETE;", ct);
            await using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA integrity_check(20);";
                var problems = new List<string>();
                await using var reader = await check.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                    problems.Add(reader.GetString(0));
                if (problems is not ["ok"])
                    throw new InvalidDataException("integrity_check failed: " + string.Join("; ", problems));
            }
            return await DatabaseSummary.ReadAsync(connection, null, sqlite: true, ct);
        }
        catch (SqliteException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    public static async Task<DatabaseSummary> ReadSummaryAsync(string file, CancellationToken ct)
    {
        await using var connection = Open(file, SqliteOpenMode.ReadOnly);
        return await DatabaseSummary.ReadAsync(connection, null, sqlite: true, ct);
    }

    /// <summary>
    /// Whether another connection (this process or another) has the database open. In WAL mode every open connection
    /// holds a shared lock on the file for its whole life, so leaving WAL mode, which needs the file to itself, fails
    /// while a server has it open. It is a safety net, not a guarantee: a server idle for minutes may have closed its
    /// pooled connections, and a database in rollback-journal mode shows only connections inside a transaction.
    /// </summary>
    public static async Task<bool> IsInUseAsync(string file, CancellationToken ct)
    {
        try
        {
            await using var probe = Open(file, SqliteOpenMode.ReadWrite);
            await ExecuteAsync(probe, "PRAGMA busy_timeout=2000;", ct);
            await using var command = probe.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=DELETE;";
            var mode = await command.ExecuteScalarAsync(ct) as string;
            if (!string.Equals(mode, "delete", StringComparison.OrdinalIgnoreCase))
                return true;
            await ExecuteAsync(probe, "BEGIN EXCLUSIVE; ROLLBACK;", ct);
            return false;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26)
        {
            // A damaged target (the usual reason to restore) cannot be asked for its locks; no server can use it either.
            return false;
        }
    }

    private static SqliteConnection Open(string file, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = mode,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
