using System.Data;
using Npgsql;

namespace Slipway.Storage.Backup;

/// <summary>
/// PostgreSQL backups with <c>pg_dump --format=custom</c> and restores with <c>pg_restore</c>. The dump runs on a
/// snapshot exported by a repeatable-read transaction that also counts what the backup holds, so the printed summary
/// is exactly the dump's content while the servers go on writing.
/// </summary>
internal static class PostgresBackup
{
    public static async Task<BackupResult> BackupAsync(string connectionString, string outFile, CancellationToken ct)
    {
        var target = Path.GetFullPath(outFile);
        var temp = DatabaseBackup.TempFileBeside(target, "backup");
        try
        {
            await using var connection = new NpgsqlConnection(Unpooled(connectionString));
            await connection.OpenAsync(ct);
            await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            await using var export = new NpgsqlCommand("SELECT pg_export_snapshot()", connection, snapshot);
            var snapshotId = (string)(await export.ExecuteScalarAsync(ct))!;
            var summary = await DatabaseSummary.ReadAsync(connection, snapshot, sqlite: false, ct);
            await PostgresTools.RunAsync("pg_dump", ["--format=custom", "--no-password", "--snapshot=" + snapshotId, "--file=" + temp], connectionString, ct);
            await snapshot.CommitAsync(ct);

            _ = await VerifyArchiveAsync(temp, connectionString, ct);
            File.Move(temp, target, overwrite: true);
            return new BackupResult(target, new FileInfo(target).Length, summary);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public static async Task RestoreAsync(string connectionString, string backupFile, bool force, CancellationToken ct)
    {
        if (!File.Exists(backupFile))
            throw new FileNotFoundException($"There is no backup file at {Path.GetFullPath(backupFile)}.");
        IReadOnlySet<string> archiveTables;
        try
        {
            archiveTables = await VerifyArchiveAsync(backupFile, connectionString, ct);
            SqliteRestore.EnsureKnownSchema(new DatabaseSummary(await ReadArchiveMigrationAsync(backupFile, connectionString, ct), 0, 0, 0), backupFile);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException)
        {
            throw new BackupRefusedException($"{backupFile} is not a usable Slipway backup: {e.Message.TrimEnd('.')}. Nothing was changed.");
        }

        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using (var connection = new NpgsqlConnection(Unpooled(connectionString)))
        {
            try
            {
                await connection.OpenAsync(ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                throw new BackupRefusedException($"Database \"{database}\" does not exist. Create it first (CREATE DATABASE \"{database}\"), then restore into it.");
            }
            var tables = await ScalarAsync(connection, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()", ct);
            if (tables > 0 && !force)
                throw new BackupRefusedException($"Database \"{database}\" is not empty ({tables} tables). Pass --force to replace its Slipway tables, or restore into a new database.");
            // pg_restore --clean drops only what the archive holds: a table a later migration added would survive and
            // break the restore or the upgrade after it, so such a database is refused rather than half-replaced.
            var extra = (await TableNamesAsync(connection, ct)).Where(t => !archiveTables.Contains(t)).Order(StringComparer.Ordinal).ToList();
            if (extra.Count > 0)
                throw new BackupRefusedException(
                    $"Database \"{database}\" has table(s) the backup does not ({string.Join(", ", extra)}), probably from a newer Slipway schema; "
                    + "--force would leave them behind. Restore into a new, empty database instead. Nothing was changed.");
            var sessions = await ScalarAsync(connection, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", ct);
            if (sessions > 0)
                throw new BackupRefusedException($"Database \"{database}\" has {sessions} other open connection(s) (a running server?). Stop them, then restore again. Nothing was changed.");
        }

        // One transaction: a restore that fails part-way leaves the database as it was.
        await PostgresTools.RunAsync("pg_restore",
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--no-password", "--dbname=" + database, backupFile],
            connectionString, ct);
    }

    /// <summary>Reads the archive's table of contents: it must be a pg_dump archive holding Slipway's migrations
    /// history. Returns the names of the tables it creates.</summary>
    private static async Task<IReadOnlySet<string>> VerifyArchiveAsync(string file, string connectionString, CancellationToken ct)
    {
        var contents = await PostgresTools.RunAsync("pg_restore", ["--list", file], connectionString, ct);
        if (!contents.Contains(" TABLE DATA ", StringComparison.Ordinal) || !contents.Contains(DatabaseSummary.MigrationsHistoryTable, StringComparison.Ordinal))
            throw new InvalidDataException($"the archive holds no {DatabaseSummary.MigrationsHistoryTable} table, so it is not a Slipway database");
        // Entries read "<id>; <oid> <oid> TABLE <schema> <name> <owner>"; comment lines start with ';'.
        var tables = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in contents.Split('\n'))
        {
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length >= 6 && !line.StartsWith(';') && tokens[3] == "TABLE" && tokens[4] != "DATA")
                tables.Add(tokens[5].Trim('"'));
        }
        return tables;
    }

    /// <summary>The archive's last migration, from the data of its migrations history table.</summary>
    private static async Task<string> ReadArchiveMigrationAsync(string file, string connectionString, CancellationToken ct)
    {
        var data = await PostgresTools.RunAsync("pg_restore", ["--data-only", "--table=" + DatabaseSummary.MigrationsHistoryTable, "--file=-", file], connectionString, ct);
        var ids = new List<string>();
        var inCopy = false;
        foreach (var line in data.Split('\n'))
        {
            if (line.StartsWith("COPY ", StringComparison.Ordinal))
                inCopy = true;
            else if (line.StartsWith("\\.", StringComparison.Ordinal))
                inCopy = false;
            else if (inCopy && line.Length > 0)
                ids.Add(line.Split('\t')[0]);
        }
        return ids.Count > 0 ? ids.Max(StringComparer.Ordinal)!
            : throw new InvalidDataException("its migrations history is empty, so it is not a Slipway database");
    }

    private static async Task<List<string>> TableNamesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var names = new List<string>();
        while (await reader.ReadAsync(ct))
            names.Add(reader.GetString(0));
        return names;
    }

    public static async Task<DatabaseSummary> ReadSummaryAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(Unpooled(connectionString));
        await connection.OpenAsync(ct);
        return await DatabaseSummary.ReadAsync(connection, null, sqlite: false, ct);
    }

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
