using Microsoft.Data.Sqlite;
using Slipway.Tracking.Domain;
using SQLitePCL;

namespace Slipway.Storage.Tracking;

/// <summary>
/// Inserts metric history rows on SQLite through SQLitePCL's binding API, on the connection (and so inside the
/// transaction) the rest of the write uses. ADO.NET parameters cost about as much per row as SQLite's insert
/// itself (boxing, name lookup); binding natives directly halves the per-metric cost of log-batch. The run id
/// binding survives <c>sqlite3_reset</c>, so it is bound once per request.
/// </summary>
internal sealed class SqliteMetricInserter(SqliteConnection connection) : IDisposable
{
    private const string Sql = "INSERT INTO metrics (run_uuid, key, step, timestamp, value, is_nan) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING";

    private sqlite3_stmt? _statement;

    public void Insert(string runId, IReadOnlyList<Metric> metrics)
    {
        var db = connection.Handle!;
        if (_statement is null)
            Check(raw.sqlite3_prepare_v2(db, Sql, out _statement), db);
        var statement = _statement;
        Check(raw.sqlite3_bind_text(statement, 1, runId), db);
        string? boundKey = null;
        for (var i = 0; i < metrics.Count; i++)
        {
            var m = metrics[i];
            if (m.Key != boundKey)
            {
                Check(raw.sqlite3_bind_text(statement, 2, m.Key), db);
                boundKey = m.Key;
            }
            var isNan = double.IsNaN(m.Value);
            raw.sqlite3_bind_int64(statement, 3, m.Step);
            raw.sqlite3_bind_int64(statement, 4, m.Timestamp);
            raw.sqlite3_bind_double(statement, 5, isNan ? 0 : m.Value);
            raw.sqlite3_bind_int(statement, 6, isNan ? 1 : 0);
            var rc = raw.sqlite3_step(statement);
            raw.sqlite3_reset(statement);
            if (rc != raw.SQLITE_DONE)
                Check(rc, db);
        }
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK && rc != raw.SQLITE_DONE)
            SqliteException.ThrowExceptionForRC(rc, db);
    }

    public void Dispose()
    {
        _statement?.Dispose();
        _statement = null;
    }
}
