using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;

namespace Slipway.Benchmarks.Sqlite;

/// <summary>
/// The SQL of one runs/log-metric request (find the run, insert the history row, upsert latest_metrics),
/// 16 requests per invocation as from 16 concurrent clients: one transaction each, as the server does
/// today, against one shared transaction (group commit).
/// </summary>
[MemoryDiagnoser]
public class LogMetricCommitBenchmarks
{
    private const int Requests = 16;
    private const string FindRun = "SELECT lifecycle_stage FROM runs WHERE run_uuid = @run LIMIT 1";
    private const string InsertHistory =
        "INSERT INTO metrics (run_uuid, key, step, timestamp, value, is_nan) VALUES (@run, @key, @step, @timestamp, @value, @nan) ON CONFLICT DO NOTHING";
    private const string UpsertLatest =
        "INSERT INTO latest_metrics (run_uuid, key, step, timestamp, value, is_nan) VALUES (@run, @key, @step, @timestamp, @value, @nan)"
        + " ON CONFLICT (run_uuid, key) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp, value = excluded.value, is_nan = excluded.is_nan"
        + " WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step AND (excluded.timestamp > latest_metrics.timestamp"
        + " OR (excluded.timestamp = latest_metrics.timestamp AND excluded.value > latest_metrics.value)))";

    private readonly Dictionary<string, SqliteCommand> _prepared = [];
    private SqliteDatabase _database = null!;
    private long _step;

    [GlobalSetup]
    public void Setup() => _database = new SqliteDatabase();

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var command in _prepared.Values)
            command.Dispose();
        _database.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests, Description = "one transaction per request, new commands")]
    public void TransactionPerRequest()
    {
        for (var i = 0; i < Requests; i++)
        {
            using var transaction = _database.Connection.BeginTransaction();
            Request(transaction, prepared: false);
            transaction.Commit();
        }
    }

    [Benchmark(OperationsPerInvoke = Requests, Description = "one transaction per request, prepared commands")]
    public void TransactionPerRequestPrepared()
    {
        for (var i = 0; i < Requests; i++)
        {
            using var transaction = _database.Connection.BeginTransaction();
            Request(transaction, prepared: true);
            transaction.Commit();
        }
    }

    [Benchmark(OperationsPerInvoke = Requests, Description = "16 requests in one transaction (group commit), prepared")]
    public void GroupCommit()
    {
        using var transaction = _database.Connection.BeginTransaction();
        for (var i = 0; i < Requests; i++)
            Request(transaction, prepared: true);
        transaction.Commit();
    }

    private void Request(SqliteTransaction transaction, bool prepared)
    {
        var step = _step++;
        Run(FindRun, transaction, prepared, p => p.AddWithValue("@run", SqliteDatabase.RunId), scalar: true);
        foreach (var sql in new[] { InsertHistory, UpsertLatest })
        {
            Run(sql, transaction, prepared, p =>
            {
                p.AddWithValue("@run", SqliteDatabase.RunId);
                p.AddWithValue("@key", "loss");
                p.AddWithValue("@step", step);
                p.AddWithValue("@timestamp", 1_700_000_000_000 + step);
                p.AddWithValue("@value", 1.0 / (step + 1));
                p.AddWithValue("@nan", false);
            }, scalar: false);
        }
    }

    private void Run(string sql, SqliteTransaction transaction, bool prepared, Action<SqliteParameterCollection> bind, bool scalar)
    {
        SqliteCommand? command = null;
        if (!prepared || !_prepared.TryGetValue(sql, out command))
        {
            command = _database.Connection.CreateCommand();
            command.CommandText = sql;
            if (prepared)
                _prepared[sql] = command;
        }
        command.Transaction = transaction;
        command.Parameters.Clear();
        bind(command.Parameters);
        if (scalar)
            command.ExecuteScalar();
        else
            command.ExecuteNonQuery();
        if (!prepared)
            command.Dispose();
    }
}
