using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Slipway.Storage;

namespace Slipway.Operations.Tests.Support;

/// <summary>Plain SQL on a backend store (SQLite file or PostgreSQL database), for checks below the API.</summary>
public static class StoreSql
{
    public static async Task<DbConnection> OpenAsync(string backendStoreUri)
    {
        var store = BackendStore.Parse(backendStoreUri);
        DbConnection connection = store.Provider == StorageProvider.Sqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder(store.ConnectionString) { Pooling = false }.ToString())
            : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(store.ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>
    /// Closes the connections this process pools to one SQLite store (a stopped in-process server leaves some, and
    /// they would count as "in use"). Never all pools: tests running beside this one have live servers in them.
    /// </summary>
    public static void ReleaseSqlitePool(string backendStoreUri)
    {
        using var connection = new SqliteConnection(BackendStore.Parse(backendStoreUri).ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    public static async Task<long> ScalarAsync(string backendStoreUri, string sql)
    {
        await using var connection = await OpenAsync(backendStoreUri);
        return await ScalarAsync(connection, sql);
    }

    public static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(string backendStoreUri, string sql)
    {
        await using var connection = await OpenAsync(backendStoreUri);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Rows of two columns (key, count) as a dictionary.</summary>
    public static async Task<Dictionary<string, long>> CountsAsync(string backendStoreUri, string sql)
    {
        await using var connection = await OpenAsync(backendStoreUri);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
            counts[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        return counts;
    }
}
