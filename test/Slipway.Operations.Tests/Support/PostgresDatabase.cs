using Npgsql;
using Slipway.Storage;

namespace Slipway.Operations.Tests.Support;

/// <summary>
/// A fresh, empty database on the server named by <c>SLIPWAY_TEST_POSTGRES</c>, dropped on dispose. Without the
/// variable the test fails: PostgreSQL tests are never skipped silently.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
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

    /// <summary>The <c>postgresql://…</c> backend store URI of the database.</summary>
    public string Uri { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
            throw new InvalidOperationException(
                $"{ServerVariable} is not set, so the PostgreSQL backup and gc tests cannot run. Run ./scripts/test.sh "
                + "(or scripts/with-postgres.sh dotnet test …), or set it to postgresql://user@host:port/db for a server where that user may CREATE DATABASE.");
        var name = "slipway_operations_" + Guid.NewGuid().ToString("N");
        var admin = new NpgsqlConnectionStringBuilder(BackendStore.Parse(server).ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
        return new PostgresDatabase(name, new UriBuilder(server) { Path = "/" + name }.Uri.AbsoluteUri, admin);
    }

    /// <summary>Closes this process's pooled connections to the database (a stopped in-process server leaves some).</summary>
    public void ReleasePooledConnections() =>
        NpgsqlConnection.ClearPool(new NpgsqlConnection(BackendStore.Parse(Uri).ConnectionString));

    public async ValueTask DisposeAsync()
    {
        ReleasePooledConnections();
        await ExecuteAsync(_adminConnectionString, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
