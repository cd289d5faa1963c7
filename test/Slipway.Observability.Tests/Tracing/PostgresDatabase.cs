using Npgsql;
using Slipway.Storage;

namespace Slipway.Observability.Tests.Tracing;

/// <summary>
/// A fresh database on the PostgreSQL server named by <c>SLIPWAY_TEST_POSTGRES</c>, dropped on dispose. Without the
/// variable the test fails (never skips): scripts/test.sh starts a server and sets it.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    public const string ServerVariable = "SLIPWAY_TEST_POSTGRES";

    private readonly string _adminConnectionString;
    private readonly string _name;

    private PostgresDatabase(string adminConnectionString, string name, string uri)
    {
        _adminConnectionString = adminConnectionString;
        _name = name;
        Uri = uri;
    }

    /// <summary>The backend store URI of the new database (<c>postgresql://…/observability_…</c>).</summary>
    public string Uri { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        Assert.False(string.IsNullOrWhiteSpace(server),
            $"{ServerVariable} is not set: run ./scripts/test.sh (or scripts/with-postgres.sh dotnet test ...), which starts PostgreSQL.");
        var admin = new NpgsqlConnectionStringBuilder(BackendStore.Parse(server!).ConnectionString) { Database = "postgres", Pooling = false };
        var name = "observability_" + Guid.NewGuid().ToString("N");
        var database = new PostgresDatabase(admin.ConnectionString, name, new UriBuilder(server!) { Path = "/" + name }.Uri.AbsoluteUri);
        await database.ExecuteAdminAsync($"CREATE DATABASE \"{name}\"");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
