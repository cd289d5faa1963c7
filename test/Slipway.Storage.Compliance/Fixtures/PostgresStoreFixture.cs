using Npgsql;

namespace Slipway.Storage.Compliance.Fixtures;

/// <summary>
/// A fresh database on the server named by <c>SLIPWAY_TEST_POSTGRES</c>, created through the server's
/// <c>postgres</c> database and dropped afterwards. Without the variable every test in the class fails: the
/// PostgreSQL half of the suite is never skipped silently.
/// </summary>
public sealed class PostgresStoreFixture : StoreFixture
{
    public const string ServerVariable = "SLIPWAY_TEST_POSTGRES";

    private readonly string _database = "slipway_" + Guid.NewGuid().ToString("N");
    private string? _adminConnectionString;
    private string? _storeConnectionString;

    protected override async Task<string> CreateDatabaseAsync()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
            throw new InvalidOperationException(
                $"{ServerVariable} is not set, so the PostgreSQL compliance tests cannot run. "
                + "Run ./scripts/test.sh, which starts PostgreSQL (or scripts/with-postgres.sh dotnet test ...), "
                + "or set it to postgresql://user@host:port/db for a server where that user may CREATE DATABASE.");

        var admin = new NpgsqlConnectionStringBuilder(BackendStore.Parse(server).ConnectionString) { Database = "postgres", Pooling = false };
        _adminConnectionString = admin.ConnectionString;
        await ExecuteAdminAsync($"CREATE DATABASE \"{_database}\"");

        var uri = new UriBuilder(server) { Path = "/" + _database }.Uri.AbsoluteUri;
        _storeConnectionString = BackendStore.Parse(uri).ConnectionString;
        return uri;
    }

    protected override async Task DropDatabaseAsync()
    {
        if (_adminConnectionString is null)
            return;
        if (_storeConnectionString is not null)
        {
            await using var pooled = new NpgsqlConnection(_storeConnectionString);
            NpgsqlConnection.ClearPool(pooled);
        }
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
    }

    private async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
