using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Errors;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Tracking;

internal sealed partial class EfTrackingStore
{
    // Multi-row VALUES statements: one round trip per chunk on PostgreSQL, one prepared plan per shape on SQLite.
    private const int RowsPerStatement = 100;
    private static readonly string[] MetricInsertSql = BuildInsertSql(
        "INSERT INTO metrics (run_uuid, key, step, timestamp, value, is_nan) VALUES ", 6, " ON CONFLICT DO NOTHING");
    private static readonly string[] LatestUpsertSql = BuildInsertSql(
        "INSERT INTO latest_metrics (run_uuid, key, step, timestamp, value, is_nan) VALUES ", 6,
        " ON CONFLICT (run_uuid, key) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp, value = excluded.value, is_nan = excluded.is_nan"
        + " WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step AND (excluded.timestamp > latest_metrics.timestamp"
        + " OR (excluded.timestamp = latest_metrics.timestamp AND excluded.value > latest_metrics.value)))");
    private static readonly string[] TagUpsertSql = BuildInsertSql(
        "INSERT INTO tags (run_uuid, key, value) VALUES ", 3, " ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value");
    private static readonly string[] ParamInsertSql = BuildInsertSql(
        "INSERT INTO params (run_uuid, key, value) VALUES ", 3, "");

    public Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<Tag> tags, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var run = await FindRunAsync(db, runId, tracking: false, ct);
            EnsureActive(run);
            if (parameters.Count > 0)
                await InsertParamsAsync(db, runId, parameters, ct);
            if (metrics.Count > 0)
            {
                await ExecuteRowsAsync(db, MetricInsertSql, metrics, 6, (m, p, i) => SetMetric(p, i, runId, m), ct);
                var latest = LatestPerKey(metrics);
                await ExecuteRowsAsync(db, LatestUpsertSql, latest, 6, (m, p, i) => SetMetric(p, i, runId, m), ct);
            }
            if (tags.Count > 0)
                await UpsertTagsAsync(db, runId, tags, ct);
        }, ct);

    public Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string key, int offset, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<Metric>>(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT value, is_nan, timestamp, step FROM metrics WHERE run_uuid = @run AND key = @key ORDER BY step, timestamp, value LIMIT @limit OFFSET @offset";
            AddParameter(command, "@run", runId);
            AddParameter(command, "@key", key);
            AddParameter(command, "@limit", (long)limit);
            AddParameter(command, "@offset", (long)offset);
            var result = new List<Metric>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                result.Add(RowMapping.ToMetric(key, reader.GetDouble(0), reader.GetBoolean(1), reader.GetInt64(2), reader.GetInt64(3)));
            return result;
        }, ct);

    private async Task UpsertTagsAsync(SlipwayDbContext db, string runId, IReadOnlyList<Tag> tags, CancellationToken ct)
    {
        // Last value wins within one request, as if the tags had been set one by one.
        var distinct = tags.Count == 1 ? tags : tags.GroupBy(t => t.Key).Select(g => g.Last()).ToList();
        await ExecuteRowsAsync(db, TagUpsertSql, distinct, 3, (t, p, i) =>
        {
            p[i].Value = runId;
            p[i + 1].Value = t.Key;
            p[i + 2].Value = t.Value;
        }, ct);
        foreach (var tag in distinct)
        {
            if (tag.Key == RunNameTag)
                await db.Runs.Where(r => r.RunUuid == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Name, tag.Value), ct);
        }
    }

    private static async Task InsertParamsAsync(SlipwayDbContext db, string runId, IReadOnlyList<Param> parameters, CancellationToken ct)
    {
        var keys = parameters.Select(p => p.Key).ToList();
        var existing = await db.Params.Where(p => p.RunUuid == runId && keys.Contains(p.Key)).ToDictionaryAsync(p => p.Key, p => p.Value, ct);
        var fresh = new List<Param>(parameters.Count);
        foreach (var param in parameters)
        {
            if (existing.TryGetValue(param.Key, out var old))
            {
                if (old != param.Value)
                    throw SlipwayException.InvalidParameter(
                        $"Changing param values is not allowed. Param with key='{param.Key}' was already logged with value='{old}' for run ID='{runId}'. Attempted logging new value '{param.Value}'.");
                continue;
            }
            fresh.Add(param);
        }
        await ExecuteRowsAsync(db, ParamInsertSql, fresh, 3, (param, p, i) =>
        {
            p[i].Value = runId;
            p[i + 1].Value = param.Key;
            p[i + 2].Value = param.Value;
        }, ct);
    }

    /// <summary>The latest observation per key within one batch, by (step, timestamp, value).</summary>
    private static List<Metric> LatestPerKey(IReadOnlyList<Metric> metrics)
    {
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

    private static double StoredValue(double value) => double.IsNaN(value) ? 0 : value;

    private static void SetMetric(DbParameter[] p, int i, string runId, Metric m)
    {
        p[i].Value = runId;
        p[i + 1].Value = m.Key;
        p[i + 2].Value = m.Step;
        p[i + 3].Value = m.Timestamp;
        p[i + 4].Value = StoredValue(m.Value);
        p[i + 5].Value = double.IsNaN(m.Value);
    }

    private static async Task ExecuteRowsAsync<T>(SlipwayDbContext db, string[] sqlByRowCount, IReadOnlyList<T> rows, int columns,
        Action<T, DbParameter[], int> bind, CancellationToken ct)
    {
        if (rows.Count == 0)
            return;
        var connection = db.Database.GetDbConnection();
        var transaction = CurrentTransaction(db);
        for (var start = 0; start < rows.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, rows.Count - start);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sqlByRowCount[count];
            var parameters = new DbParameter[count * columns];
            for (var i = 0; i < parameters.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                parameters[i] = parameter;
            }
            for (var r = 0; r < count; r++)
                bind(rows[start + r], parameters, r * columns);
            command.Parameters.AddRange(parameters);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static string[] BuildInsertSql(string prefix, int columns, string suffix)
    {
        var result = new string[RowsPerStatement + 1];
        for (var rows = 1; rows <= RowsPerStatement; rows++)
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

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
