using Slipway.Operations.Tests.Support;

namespace Slipway.Operations.Tests.Gc;

/// <summary><see cref="GcTests"/> on a SQLite store, collected while the server keeps it open.</summary>
public sealed class SqliteGcTests : GcTests
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("slipway-gc-sqlite-");

    protected override Task<string> CreateStoreAsync() =>
        Task.FromResult("sqlite:///" + Path.Combine(_folder.FullName, "slipway.db"));

    protected override Task DropStoreAsync()
    {
        StoreSql.ReleaseSqlitePool(StoreUri);
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary><see cref="GcTests"/> on a fresh PostgreSQL database.</summary>
public sealed class PostgresGcTests : GcTests
{
    private PostgresDatabase? _database;

    protected override async Task<string> CreateStoreAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        return _database.Uri;
    }

    protected override async Task DropStoreAsync()
    {
        if (_database is not null)
            await _database.DisposeAsync();
    }
}
