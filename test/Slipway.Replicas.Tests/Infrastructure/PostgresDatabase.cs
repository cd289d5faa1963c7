using Npgsql;

namespace Slipway.Replicas.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database on the <c>SLIPWAY_TEST_POSTGRES</c> server, dropped (with its connections) on dispose.
/// Without the variable every test fails: the replicas need a shared PostgreSQL.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    public const string ServerVariable = "SLIPWAY_TEST_POSTGRES";

    private readonly string _adminConnectionString;

    private PostgresDatabase(string name, string uri, string adminConnectionString)
    {
        Name = name;
        Uri = uri;
        _adminConnectionString = adminConnectionString;
    }

    public string Name { get; }

    /// <summary><c>postgresql://…/&lt;name&gt;</c>, as <c>--backend-store-uri</c> takes it.</summary>
    public string Uri { get; }

    /// <summary>A new database name on the test server; created now unless <paramref name="create"/> is false (the server under test must then create it).</summary>
    public static async Task<PostgresDatabase> CreateAsync(bool create = true)
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
            throw new InvalidOperationException(
                $"{ServerVariable} is not set, so the replica tests cannot run. Run ./scripts/test.sh or scripts/with-postgres.sh dotnet test ...");
        var name = "slipway_replicas_" + Guid.NewGuid().ToString("N");
        var admin = new NpgsqlConnectionStringBuilder(Slipway.Storage.BackendStore.Parse(server).ConnectionString)
        {
            Database = "postgres",
            Pooling = false,
        }.ConnectionString;
        var database = new PostgresDatabase(name, new UriBuilder(server) { Path = "/" + name }.Uri.AbsoluteUri, admin);
        if (create)
            await database.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return database;
    }

    /// <summary>Runs SQL in this database (not pooled, so it never shares a connection with the code under test).</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = Name };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Ends every server process connected to this database except the caller's (as a failover or restart does).</summary>
    public Task<long> TerminateConnectionsAsync(string? applicationName = null) =>
        ScalarAsync(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            + (applicationName is null ? "" : $" AND application_name = '{applicationName}'"));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ExecuteAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
        }
        catch (NpgsqlException)
        {
            // A database left behind on a test server is harmless.
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
