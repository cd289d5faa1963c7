using System.Data.Common;

namespace Slipway.Storage.Backup;

/// <summary>What a backup or a restored database holds: its schema level and how many of the main objects.</summary>
/// <param name="MigrationId">The last applied migration, e.g. <c>20261126000000_Pipelines</c>.</param>
public sealed record DatabaseSummary(string MigrationId, long Experiments, long Runs, long RegisteredModels)
{
    public const string MigrationsHistoryTable = "__EFMigrationsHistory";

    /// <summary>
    /// Reads the summary on an open connection (inside the caller's transaction or snapshot, if any). Throws
    /// <see cref="InvalidDataException"/> when the database has no migrations history: it is not a Slipway database.
    /// </summary>
    public static async Task<DatabaseSummary> ReadAsync(DbConnection connection, DbTransaction? transaction, bool sqlite, CancellationToken ct)
    {
        var historyExists = sqlite
            ? $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{MigrationsHistoryTable}'"
            : $"SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{MigrationsHistoryTable}'";
        if (await ScalarAsync(connection, transaction, historyExists, ct) == 0)
            throw new InvalidDataException($"it has no {MigrationsHistoryTable} table, so it is not a Slipway database");
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT \"MigrationId\" FROM \"{MigrationsHistoryTable}\" ORDER BY \"MigrationId\" DESC LIMIT 1";
        var migration = await command.ExecuteScalarAsync(ct) as string
            ?? throw new InvalidDataException("its migrations history is empty, so it is not a Slipway database");
        return new DatabaseSummary(
            migration,
            await ScalarAsync(connection, transaction, "SELECT count(*) FROM experiments", ct),
            await ScalarAsync(connection, transaction, "SELECT count(*) FROM runs", ct),
            await ScalarAsync(connection, transaction, "SELECT count(*) FROM registered_models", ct));
    }

    public override string ToString() =>
        $"migration {MigrationId}; {Experiments} experiment(s), {Runs} run(s), {RegisteredModels} registered model(s)";

    private static async Task<long> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>The outcome of <c>slipway db backup</c> or <c>slipway db restore</c>.</summary>
public sealed record BackupResult(string File, long Bytes, DatabaseSummary Summary);
