using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Storage.Rows;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Tracking;

/// <summary>
/// Loads params, tags, latest metrics and dataset inputs for a page of runs with plain ADO.NET: a search page of
/// 500 runs is thousands of small rows, and reading them by ordinal is several times cheaper than materialising
/// entities. All run ids travel as one parameter (a JSON array on SQLite, a text[] on PostgreSQL).
/// </summary>
internal sealed class RunPageLoader(SlipwayDbContext db, bool sqlite)
{
    public async Task<IReadOnlyList<Run>> LoadAsync(IReadOnlyList<RunRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
            return [];
        await db.Database.OpenConnectionAsync(ct);
        var ids = rows.Select(r => r.RunUuid).ToArray();
        var parameters = await ReadGroupedAsync(ids, "SELECT run_uuid, key, value FROM params WHERE " + IdFilter("run_uuid"),
            r => new Param(r.GetString(1), r.GetString(2)), ct);
        var tags = await ReadGroupedAsync(ids, "SELECT run_uuid, key, value FROM tags WHERE " + IdFilter("run_uuid"),
            r => new Tag(r.GetString(1), r.GetString(2)), ct);
        var metrics = await ReadGroupedAsync(ids, "SELECT run_uuid, key, value, is_nan, timestamp, step FROM latest_metrics WHERE " + IdFilter("run_uuid"),
            r => RowMapping.ToMetric(r.GetString(1), r.GetDouble(2), r.GetBoolean(3), r.GetInt64(4), r.GetInt64(5)), ct);
        var inputs = await LoadInputsAsync(ids, ct);

        var result = new List<Run>(rows.Count);
        foreach (var row in rows)
        {
            result.Add(new Run(
                RowMapping.ToRunInfo(row),
                metrics.GetValueOrDefault(row.RunUuid) ?? [],
                parameters.GetValueOrDefault(row.RunUuid) ?? [],
                tags.GetValueOrDefault(row.RunUuid) ?? [],
                inputs.GetValueOrDefault(row.RunUuid) ?? []));
        }
        return result;
    }

    private async Task<Dictionary<string, List<DatasetInput>>> LoadInputsAsync(string[] ids, CancellationToken ct)
    {
        var inputTags = await ReadGroupedAsync(ids, "SELECT run_uuid, dataset_uuid, key, value FROM run_input_tags WHERE " + IdFilter("run_uuid"),
            r => (Dataset: r.GetString(1), Tag: new Tag(r.GetString(2), r.GetString(3))), ct);
        var inputs = await ReadGroupedAsync(ids,
            "SELECT i.run_uuid, d.dataset_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source, d.dataset_schema, d.dataset_profile "
            + "FROM run_inputs i JOIN datasets d ON d.dataset_uuid = i.dataset_uuid WHERE " + IdFilter("i.run_uuid") + " ORDER BY i.position",
            r => (Uuid: r.GetString(1), Dataset: new Dataset(r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7))), ct);
        var result = new Dictionary<string, List<DatasetInput>>(inputs.Count, StringComparer.Ordinal);
        foreach (var (runId, list) in inputs)
        {
            var runTags = inputTags.GetValueOrDefault(runId);
            result[runId] = list.Select(x => new DatasetInput(
                runTags?.Where(t => t.Dataset == x.Uuid).Select(t => t.Tag).ToList() ?? [],
                x.Dataset)).ToList();
        }
        return result;
    }

    private string IdFilter(string column) =>
        sqlite ? $"{column} IN (SELECT value FROM json_each(@ids))" : $"{column} = ANY(@ids)";

    /// <summary>Runs a query whose first column is the run id and groups the mapped rows by it.</summary>
    private async Task<Dictionary<string, List<T>>> ReadGroupedAsync<T>(string[] ids, string sql, Func<DbDataReader, T> map, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@ids";
        parameter.Value = sqlite ? JsonSerializer.Serialize(ids, StorageJsonContext.Default.StringArray) : ids;
        command.Parameters.Add(parameter);
        var grouped = new Dictionary<string, List<T>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var runId = reader.GetString(0);
            if (!grouped.TryGetValue(runId, out var list))
                grouped[runId] = list = [];
            list.Add(map(reader));
        }
        return grouped;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class StorageJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
