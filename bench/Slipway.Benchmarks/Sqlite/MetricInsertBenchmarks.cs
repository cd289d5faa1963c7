using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;

namespace Slipway.Benchmarks.Sqlite;

/// <summary>
/// One log-batch worth of history rows (1000 metrics: 10 keys × 100 steps) in one transaction, by statement shape.
/// The server today sends 100-row multi-VALUES statements with 600 named parameters, a new command each.
/// </summary>
[MemoryDiagnoser]
public class MetricInsertBenchmarks
{
    private const int Metrics = 1000;
    private const int Keys = 10;
    private const string Insert = "INSERT INTO metrics (run_uuid, key, step, timestamp, value, is_nan) VALUES ";
    private static readonly string[] KeyNames = Enumerable.Range(0, Keys).Select(k => "m" + k.ToString(CultureInfo.InvariantCulture)).ToArray();

    private readonly Dictionary<int, string> _sqlByRows = [];
    private SqliteDatabase _database = null!;
    private SqliteCommand? _prepared;
    private long _step;

    [Params(false, true)]
    public bool WithoutRowid { get; set; }

    [GlobalSetup]
    public void Setup() => _database = new SqliteDatabase(WithoutRowid);

    [GlobalCleanup]
    public void Cleanup()
    {
        _prepared?.Dispose();
        _database.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Metrics, Description = "100-row VALUES, 600 named parameters, new command")]
    public void MultiRowNamed100() => MultiRow(100);

    [Benchmark(OperationsPerInvoke = Metrics, Description = "10-row VALUES, 60 named parameters, new command")]
    public void MultiRowNamed10() => MultiRow(10);

    [Benchmark(OperationsPerInvoke = Metrics, Description = "1-row INSERT prepared once, re-bound 1000 times")]
    public void SingleRowPrepared()
    {
        var connection = _database.Connection;
        using var transaction = connection.BeginTransaction();
        if (_prepared is null)
        {
            _prepared = connection.CreateCommand();
            _prepared.CommandText = Insert + "(@run, @key, @step, @timestamp, @value, @nan) ON CONFLICT DO NOTHING";
            foreach (var name in new[] { "@run", "@key", "@step", "@timestamp", "@value", "@nan" })
                _prepared.Parameters.Add(new SqliteParameter(name, null));
        }
        _prepared.Transaction = transaction;
        var p = _prepared.Parameters;
        p[0].Value = SqliteDatabase.RunId;
        p[5].Value = false;
        for (var i = 0; i < Metrics; i++)
        {
            var step = _step + (i / Keys);
            p[1].Value = KeyNames[i % Keys];
            p[2].Value = step;
            p[3].Value = 1_700_000_000_000 + step;
            p[4].Value = Math.Sin(step);
            _prepared.ExecuteNonQuery();
        }
        transaction.Commit();
        _step += Metrics / Keys;
    }

    private void MultiRow(int rowsPerStatement)
    {
        var connection = _database.Connection;
        using var transaction = connection.BeginTransaction();
        if (!_sqlByRows.TryGetValue(rowsPerStatement, out var sql))
            _sqlByRows[rowsPerStatement] = sql = MultiRowSql(rowsPerStatement);
        for (var start = 0; start < Metrics; start += rowsPerStatement)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            for (var r = 0; r < rowsPerStatement; r++)
            {
                var i = start + r;
                var step = _step + (i / Keys);
                var n = r * 6;
                command.Parameters.Add(new SqliteParameter(Name(n), SqliteDatabase.RunId));
                command.Parameters.Add(new SqliteParameter(Name(n + 1), KeyNames[i % Keys]));
                command.Parameters.Add(new SqliteParameter(Name(n + 2), step));
                command.Parameters.Add(new SqliteParameter(Name(n + 3), 1_700_000_000_000 + step));
                command.Parameters.Add(new SqliteParameter(Name(n + 4), Math.Sin(step)));
                command.Parameters.Add(new SqliteParameter(Name(n + 5), false));
            }
            command.ExecuteNonQuery();
        }
        transaction.Commit();
        _step += Metrics / Keys;
    }

    private static string Name(int n) => "@p" + n.ToString(CultureInfo.InvariantCulture);

    private static string MultiRowSql(int rows)
    {
        var sql = new StringBuilder(Insert);
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < 6; c++)
                sql.Append(c == 0 ? "" : ", ").Append(Name((r * 6) + c));
            sql.Append(')');
        }
        return sql.Append(" ON CONFLICT DO NOTHING").ToString();
    }
}
