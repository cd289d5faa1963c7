using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Slipway.Tracking.Domain;

namespace Slipway.Benchmarks.Sqlite;

/// <summary>
/// Reading a 100,000-step metric history: the server's loop (await ReadAsync per row into a List) against a
/// synchronous Read loop, both through Microsoft.Data.Sqlite with the same statement.
/// </summary>
[MemoryDiagnoser]
public class MetricHistoryReadBenchmarks
{
    private const int Steps = 100_000;
    private const string Query =
        "SELECT value, is_nan, timestamp, step FROM metrics WHERE run_uuid = @run AND key = @key ORDER BY step, timestamp, value LIMIT @limit OFFSET @offset";

    private SqliteDatabase _database = null!;

    [GlobalSetup]
    public void Setup()
    {
        _database = new SqliteDatabase();
        using var transaction = _database.Connection.BeginTransaction();
        using var insert = _database.Connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO metrics VALUES (@run, 'loss', @step, @timestamp, @value, 0)";
        insert.Parameters.AddWithValue("@run", SqliteDatabase.RunId);
        var step = insert.Parameters.Add("@step", SqliteType.Integer);
        var timestamp = insert.Parameters.Add("@timestamp", SqliteType.Integer);
        var value = insert.Parameters.Add("@value", SqliteType.Real);
        for (var i = 0; i < Steps; i++)
        {
            step.Value = i;
            timestamp.Value = 1_700_000_000_000L + i;
            value.Value = 1.0 / (i + 1);
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    [GlobalCleanup]
    public void Cleanup() => _database.Dispose();

    [Benchmark(Baseline = true, Description = "await ReadAsync per row (server today)")]
    public async Task<int> ReadAsyncLoop()
    {
        await using var command = CreateCommand();
        var result = new List<Metric>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            result.Add(new Metric("loss", reader.GetBoolean(1) ? double.NaN : reader.GetDouble(0), reader.GetInt64(2), reader.GetInt64(3)));
        return result.Count;
    }

    [Benchmark(Description = "synchronous Read per row")]
    public int ReadLoop()
    {
        using var command = CreateCommand();
        var result = new List<Metric>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            result.Add(new Metric("loss", reader.GetBoolean(1) ? double.NaN : reader.GetDouble(0), reader.GetInt64(2), reader.GetInt64(3)));
        return result.Count;
    }

    private SqliteCommand CreateCommand()
    {
        var command = _database.Connection.CreateCommand();
        command.CommandText = Query;
        command.Parameters.AddWithValue("@run", SqliteDatabase.RunId);
        command.Parameters.AddWithValue("@key", "loss");
        command.Parameters.AddWithValue("@limit", (long)int.MaxValue);
        command.Parameters.AddWithValue("@offset", 0L);
        return command;
    }
}
