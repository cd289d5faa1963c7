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

            await VerifyArchiveAsync(temp, connectionString, ct);
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
        try
        {
            await VerifyArchiveAsync(backupFile, connectionString, ct);
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
            var sessions = await ScalarAsync(connection, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", ct);
            if (sessions > 0)
                throw new BackupRefusedException($"Database \"{database}\" has {sessions} other open connection(s) (a running server?). Stop them, then restore again. Nothing was changed.");
        }

        // One transaction: a restore that fails part-way leaves the database as it was.
        await PostgresTools.RunAsync("pg_restore",
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--no-password", "--dbname=" + database, backupFile],
            connectionString, ct);
    }

    /// <summary>Reads the archive's table of contents: it must be a pg_dump archive holding Slipway's migrations history.</summary>
    private static async Task VerifyArchiveAsync(string file, string connectionString, CancellationToken ct)
    {
        var contents = await PostgresTools.RunAsync("pg_restore", ["--list", file], connectionString, ct);
        if (!contents.Contains(" TABLE DATA ", StringComparison.Ordinal) || !contents.Contains(DatabaseSummary.MigrationsHistoryTable, StringComparison.Ordinal))
            throw new InvalidDataException($"the archive holds no {DatabaseSummary.MigrationsHistoryTable} table, so it is not a Slipway database");
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
