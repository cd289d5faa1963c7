using Slipway.Operations.Tests.Support;
using Xunit.Abstractions;

namespace Slipway.Operations.Tests.Backup;

/// <summary>The backup-under-load check on SQLite: the online backup API from another process while the server writes in WAL mode.</summary>
public sealed class SqliteBackupUnderLoadTests(ITestOutputHelper output) : BackupUnderLoadTests(output), IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("slipway-sqlite-stores-");

    protected override Task<string> CreateStoreAsync() =>
        Task.FromResult($"sqlite:///{Path.Combine(_folder.FullName, Guid.NewGuid().ToString("N"), "slipway.db")}");

    protected override async Task AssertProviderIntegrityAsync(string restoredUri)
    {
        await using var connection = await StoreSql.OpenAsync(restoredUri);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", await command.ExecuteScalarAsync());
    }

    protected override void ReleasePooledConnections(string uri) => StoreSql.ReleaseSqlitePool(uri);

    public void Dispose()
    {
        _folder.Delete(recursive: true);
    }
}

/// <summary>The backup-under-load check on PostgreSQL: pg_dump on an exported snapshot while the server writes, pg_restore into a new database.</summary>
public sealed class PostgresBackupUnderLoadTests(ITestOutputHelper output) : BackupUnderLoadTests(output), IAsyncLifetime
{
    private readonly List<PostgresDatabase> _databases = [];

    protected override async Task<string> CreateStoreAsync()
    {
        var database = await PostgresDatabase.CreateAsync();
        _databases.Add(database);
        return database.Uri;
    }

    protected override void ReleasePooledConnections(string uri) => _databases.Single(d => d.Uri == uri).ReleasePooledConnections();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
            await database.DisposeAsync();
    }
}
