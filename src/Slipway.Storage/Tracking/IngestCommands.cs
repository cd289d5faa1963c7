using System.Data.Common;
using System.Globalization;
using System.Text;
using Slipway.Core.Errors;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Tracking;

/// <summary>
/// The SQL of the logging hot path on one connection and transaction, with each command built once and re-bound
/// for every row. Metric history, the bulk of the rows, goes through <see cref="SqliteMetricInserter"/> on SQLite
/// (native binding, one-row statement re-used) and in 100-row VALUES chunks on PostgreSQL, which pays a round trip
/// per statement. SQLite's async API only wraps synchronous calls, so it is called synchronously.
/// </summary>
internal sealed class IngestCommands(DbConnection connection, DbTransaction? transaction, bool sqlite) : IAsyncDisposable
{
    private const int MaxRowsPerStatement = 100;

    private static readonly string[] MetricInsertSql = BuildInsertSql(
        "INSERT INTO metrics (run_uuid, key, step, timestamp, value, is_nan) VALUES ", 6, " ON CONFLICT DO NOTHING");
    private const string LatestUpsertSql =
        "INSERT INTO latest_metrics (run_uuid, key, step, timestamp, value, is_nan) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)"
        + " ON CONFLICT (run_uuid, key) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp, value = excluded.value, is_nan = excluded.is_nan"
        + " WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step AND (excluded.timestamp > latest_metrics.timestamp"
        + " OR (excluded.timestamp = latest_metrics.timestamp AND excluded.value > latest_metrics.value)))";
    private const string TagUpsertSql = "INSERT INTO tags (run_uuid, key, value) VALUES (@p0, @p1, @p2) ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value";
    private const string ParamSelectSql = "SELECT value FROM params WHERE run_uuid = @p0 AND key = @p1";
    private const string ParamInsertSql = "INSERT INTO params (run_uuid, key, value) VALUES (@p0, @p1, @p2)";
    private const string RunStageSql = "SELECT lifecycle_stage FROM runs WHERE run_uuid = @p0";
    private const string RunRenameSql = "UPDATE runs SET name = @p1 WHERE run_uuid = @p0";

    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    private SqliteMetricInserter? _sqliteMetrics;

    /// <summary>Applies one log request: the run must exist and be active; params are immutable; metrics append.</summary>
    public async Task ApplyAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<Tag> tags, CancellationToken ct)
    {
        var stage = await ScalarAsync(RunStageSql, ct, runId) as string
            ?? throw SlipwayException.NotFound($"Run with id={runId} not found");
        if (stage != LifecycleStage.Active)
            throw SlipwayException.InvalidParameter($"The run {runId} must be in the 'active' state. Current state is {stage}.");
        foreach (var param in parameters)
            await InsertParamAsync(runId, param, ct);
        if (metrics.Count > 0)
        {
            await InsertMetricsAsync(runId, metrics, ct);
            foreach (var latest in LatestPerKey(metrics))
                await ExecuteAsync(LatestUpsertSql, ct, runId, latest.Key, latest.Step, latest.Timestamp, StoredValue(latest.Value), double.IsNaN(latest.Value));
        }
        await UpsertTagsAsync(runId, tags, ct);
    }

    /// <summary>Sets tags (last value wins within one request); <c>mlflow.runName</c> also renames the run.</summary>
    public async Task UpsertTagsAsync(string runId, IReadOnlyList<Tag> tags, CancellationToken ct)
    {
        foreach (var tag in tags)
        {
            await ExecuteAsync(TagUpsertSql, ct, runId, tag.Key, tag.Value);
            if (tag.Key == SystemTags.RunName)
                await ExecuteAsync(RunRenameSql, ct, runId, tag.Value);
        }
    }

    private async Task InsertParamAsync(string runId, Param param, CancellationToken ct)
    {
        if (await ScalarAsync(ParamSelectSql, ct, runId, param.Key) is string old)
        {
            if (old != param.Value)
                throw SlipwayException.InvalidParameter(
                    $"Changing param values is not allowed. Param with key='{param.Key}' was already logged with value='{old}' for run ID='{runId}'. Attempted logging new value '{param.Value}'.");
            return;
        }
        await ExecuteAsync(ParamInsertSql, ct, runId, param.Key, param.Value);
    }

    private async Task InsertMetricsAsync(string runId, IReadOnlyList<Metric> metrics, CancellationToken ct)
    {
        if (sqlite)
        {
            _sqliteMetrics ??= new SqliteMetricInserter((Microsoft.Data.Sqlite.SqliteConnection)connection);
            _sqliteMetrics.Insert(runId, metrics);
            return;
        }
        var chunk = MaxRowsPerStatement;
        for (var start = 0; start < metrics.Count; start += chunk)
        {
            var count = Math.Min(chunk, metrics.Count - start);
            var command = Command(MetricInsertSql[count], count * 6);
            for (var r = 0; r < count; r++)
            {
                var m = metrics[start + r];
                var p = r * 6;
                command.Parameters[p].Value = runId;
                command.Parameters[p + 1].Value = m.Key;
                command.Parameters[p + 2].Value = m.Step;
                command.Parameters[p + 3].Value = m.Timestamp;
                command.Parameters[p + 4].Value = StoredValue(m.Value);
                command.Parameters[p + 5].Value = double.IsNaN(m.Value);
            }
            await ExecuteAsync(command, ct);
        }
    }

    /// <summary>The latest observation per key within one request, by (step, timestamp, value).</summary>
    private static List<Metric> LatestPerKey(IReadOnlyList<Metric> metrics)
    {
        if (metrics.Count == 1)
            return [metrics[0]];
        var latest = new Dictionary<string, Metric>(StringComparer.Ordinal);
        for (var i = 0; i < metrics.Count; i++)
        {
            var m = metrics[i];
            if (!latest.TryGetValue(m.Key, out var current) || IsLater(m, current))
                latest[m.Key] = m;
        }
        return [.. latest.Values];
    }

    private static bool IsLater(Metric candidate, Metric current) =>
        candidate.Step != current.Step ? candidate.Step > current.Step
        : candidate.Timestamp != current.Timestamp ? candidate.Timestamp > current.Timestamp
        : StoredValue(candidate.Value) > StoredValue(current.Value);

    // SQLite cannot store NaN (it becomes NULL), so NaN is value 0 with is_nan set, as in MLflow's schema.
    private static double StoredValue(double value) => double.IsNaN(value) ? 0 : value;

    private Task ExecuteAsync(string sql, CancellationToken ct, params object[] values) => ExecuteAsync(Bind(sql, values), ct);

    private Task ExecuteAsync(DbCommand command, CancellationToken ct)
    {
        if (!sqlite)
            return command.ExecuteNonQueryAsync(ct);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken ct, params object[] values)
    {
        var command = Bind(sql, values);
        var result = sqlite ? command.ExecuteScalar() : await command.ExecuteScalarAsync(ct);
        return result is DBNull ? null : result;
    }

    private DbCommand Bind(string sql, object[] values)
    {
        var command = Command(sql, values.Length);
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i];
        return command;
    }

    private DbCommand Command(string sql, int parameterCount)
    {
        if (_commands.TryGetValue(sql, out var command))
            return command;
        command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < parameterCount; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.Add(parameter);
        }
        _commands[sql] = command;
        return command;
    }

    private static string[] BuildInsertSql(string prefix, int columns, string suffix)
    {
        var result = new string[MaxRowsPerStatement + 1];
        for (var rows = 1; rows <= MaxRowsPerStatement; rows++)
        {
            var sql = new StringBuilder(prefix);
            for (var r = 0; r < rows; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns; c++)
                    sql.Append(c == 0 ? "@p" : ", @p").Append((r * columns) + c);
                sql.Append(')');
            }
            result[rows] = sql.Append(suffix).ToString();
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        _sqliteMetrics?.Dispose();
        foreach (var command in _commands.Values)
            await command.DisposeAsync();
        _commands.Clear();
    }
}
