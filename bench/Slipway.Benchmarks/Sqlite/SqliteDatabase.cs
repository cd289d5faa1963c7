using Microsoft.Data.Sqlite;

namespace Slipway.Benchmarks.Sqlite;

/// <summary>
/// A fresh SQLite file with the server's metric tables and connection settings (WAL, synchronous=NORMAL),
/// so that statement shapes can be timed without HTTP or EF Core in the way.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    public const string RunId = "0123456789abcdef0123456789abcdef";

    // As created by the InitialTracking migration; WITHOUT ROWID is the variant under test.
    private const string Schema = """
        CREATE TABLE runs (run_uuid TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, experiment_id INTEGER NOT NULL, user_id TEXT NOT NULL,
            status TEXT NOT NULL, start_time INTEGER NOT NULL, end_time INTEGER NULL, artifact_uri TEXT NOT NULL, lifecycle_stage TEXT NOT NULL, deleted_time INTEGER NULL);
        CREATE TABLE metrics (run_uuid TEXT NOT NULL, key TEXT NOT NULL, step INTEGER NOT NULL, timestamp INTEGER NOT NULL, value REAL NOT NULL,
            is_nan INTEGER NOT NULL, PRIMARY KEY (run_uuid, key, step, timestamp, value, is_nan)){0};
        CREATE TABLE latest_metrics (run_uuid TEXT NOT NULL, key TEXT NOT NULL, step INTEGER NOT NULL, timestamp INTEGER NOT NULL, value REAL NOT NULL,
            is_nan INTEGER NOT NULL, PRIMARY KEY (run_uuid, key));
        CREATE INDEX ix_latest_metrics_key_value ON latest_metrics (key, value);
        """;

    private readonly string _path;

    public SqliteDatabase(bool metricsWithoutRowid = false)
    {
        _path = Path.Combine(Path.GetTempPath(), $"slipway-benchmarks-{Guid.NewGuid():N}.db");
        Connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        Connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;");
        Execute(string.Format(System.Globalization.CultureInfo.InvariantCulture, Schema, metricsWithoutRowid ? " WITHOUT ROWID" : ""));
        Execute($"INSERT INTO runs VALUES ('{RunId}', 'bench', 1, 'user', 'RUNNING', 1, NULL, 'file:///a', 'active', NULL)");
    }

    public SqliteConnection Connection { get; }

    public void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        Connection.Dispose();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(_path + suffix);
    }
}
