using Microsoft.Data.Sqlite;

namespace Slipway.Storage.Compliance.Fixtures;

/// <summary>A fresh SQLite file in its own temp folder (the database, its WAL and shared-memory files).</summary>
public sealed class SqliteStoreFixture : StoreFixture
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "slipway-compliance-" + Guid.NewGuid().ToString("N"));

    protected override Task<string> CreateDatabaseAsync()
    {
        Directory.CreateDirectory(_folder);
        // Four slashes: MLflow's form for an absolute path.
        return Task.FromResult("sqlite:///" + Path.Combine(_folder, "slipway.db"));
    }

    protected override Task DropDatabaseAsync()
    {
        // Pooled connections keep the file open; release them before deleting it.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the run over it is not.
        }
        return Task.CompletedTask;
    }
}
