using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Slipway.Core.Audit;
using Slipway.Storage.Compliance.Fixtures;

namespace Slipway.Storage.Compliance;

/// <summary>
/// One empty, migrated database per test class, with every store built through DI as the server builds them
/// (<see cref="Get{T}"/>). Same lifecycle as <see cref="StoreFixture"/>, which exposes only the tracking store.
/// </summary>
public abstract class ServicesFixture : IAsyncLifetime
{
    private ServiceProvider? _services;

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public IAuditStore Audit => Get<IAuditStore>();

    private ServiceProvider Services => _services ?? throw new InvalidOperationException("The fixture has not been initialised.");

    protected abstract Task<string> CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    public async Task InitializeAsync()
    {
        var uri = await CreateDatabaseAsync();
        var services = new ServiceCollection();
        services.AddSlipwayStorage(uri);
        _services = services.BuildServiceProvider();
        await _services.MigrateSlipwayStorageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
            await _services.DisposeAsync();
        await DropDatabaseAsync();
    }
}

public sealed class SqliteServicesFixture : ServicesFixture
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "slipway-services-" + Guid.NewGuid().ToString("N"));

    protected override Task<string> CreateDatabaseAsync()
    {
        Directory.CreateDirectory(_folder);
        return Task.FromResult("sqlite:///" + Path.Combine(_folder, "slipway.db"));
    }

    protected override Task DropDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
        return Task.CompletedTask;
    }
}

/// <summary>A fresh database on the <c>SLIPWAY_TEST_POSTGRES</c> server; without the variable every test fails.</summary>
public sealed class PostgresServicesFixture : ServicesFixture
{
    private readonly string _database = "slipway_services_" + Guid.NewGuid().ToString("N");
    private string? _adminConnectionString;
    private string? _storeConnectionString;

    protected override async Task<string> CreateDatabaseAsync()
    {
        var server = Environment.GetEnvironmentVariable(PostgresStoreFixture.ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
            throw new InvalidOperationException(
                $"{PostgresStoreFixture.ServerVariable} is not set, so the PostgreSQL compliance tests cannot run. "
                + "Run ./scripts/test.sh or scripts/with-postgres.sh dotnet test ...");
        _adminConnectionString = new NpgsqlConnectionStringBuilder(BackendStore.Parse(server).ConnectionString) { Database = "postgres", Pooling = false }
            .ConnectionString;
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
