using Slipway.Operations.Tests.Support;

namespace Slipway.Operations.Tests.Backup;

/// <summary>
/// Checks a restored metadata store below the API: no row without its run, every latest metric backed by its
/// history row and equal to its highest step, whole log-batches only, and per run a count of batches between what was
/// acknowledged before the backup started and what had been sent when it ended.
/// </summary>
public static class RestoredStoreChecks
{
    private static readonly (string Name, string Sql)[] Invariants =
    [
        ("metrics without a run", "SELECT count(*) FROM metrics m WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_uuid = m.run_uuid)"),
        ("latest metrics without a run", "SELECT count(*) FROM latest_metrics m WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_uuid = m.run_uuid)"),
        ("params without a run", "SELECT count(*) FROM params p WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_uuid = p.run_uuid)"),
        ("tags without a run", "SELECT count(*) FROM tags t WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_uuid = t.run_uuid)"),
        ("runs without an experiment", "SELECT count(*) FROM runs r WHERE NOT EXISTS (SELECT 1 FROM experiments e WHERE e.experiment_id = r.experiment_id)"),
        ("latest metrics without their history row",
            "SELECT count(*) FROM latest_metrics l WHERE NOT EXISTS (SELECT 1 FROM metrics m WHERE m.run_uuid = l.run_uuid AND m.key = l.key "
            + "AND m.step = l.step AND m.timestamp = l.timestamp AND m.value = l.value)"),
        ("latest metrics that are not the highest step",
            "SELECT count(*) FROM latest_metrics l WHERE l.step <> (SELECT max(m.step) FROM metrics m WHERE m.run_uuid = l.run_uuid AND m.key = l.key)"),
        ("metric histories without a latest value",
            "SELECT count(*) FROM (SELECT DISTINCT run_uuid, key FROM metrics) h WHERE NOT EXISTS (SELECT 1 FROM latest_metrics l WHERE l.run_uuid = h.run_uuid AND l.key = h.key)"),
    ];

    /// <summary>Returns how many batches the restored store holds.</summary>
    public static async Task<long> AssertConsistentAsync(string backendStoreUri, string experimentId, IReadOnlyDictionary<string, int> acknowledgedBefore, IReadOnlyDictionary<string, int> sentAfter)
    {
        foreach (var (name, sql) in Invariants)
            Assert.True(await StoreSql.ScalarAsync(backendStoreUri, sql) == 0, $"The restored store has {name}.");

        var metrics = await StoreSql.CountsAsync(backendStoreUri,
            $"SELECT r.run_uuid, count(m.run_uuid) FROM runs r LEFT JOIN metrics m ON m.run_uuid = r.run_uuid WHERE r.experiment_id = {experimentId} GROUP BY r.run_uuid");
        var parameters = await StoreSql.CountsAsync(backendStoreUri,
            $"SELECT r.run_uuid, count(p.run_uuid) FROM runs r LEFT JOIN params p ON p.run_uuid = r.run_uuid WHERE r.experiment_id = {experimentId} GROUP BY r.run_uuid");
        var lastBatch = await StoreSql.CountsAsync(backendStoreUri, "SELECT run_uuid, value FROM tags WHERE key = 'last_batch'");

        foreach (var (runId, acknowledged) in acknowledgedBefore)
            Assert.True(metrics.ContainsKey(runId), $"Run {runId}, created before the backup started, is missing from the restored store.");
        foreach (var (runId, rows) in metrics)
        {
            var batches = parameters[runId];
            Assert.True(rows == batches * WriteLoad.MetricsPerBatch, $"Run {runId} holds {rows} metric rows for {batches} batches: a batch was split by the backup.");
            if (batches > 0)
                Assert.Equal(batches - 1, lastBatch[runId]);
            var lower = acknowledgedBefore.GetValueOrDefault(runId);
            var upper = sentAfter.GetValueOrDefault(runId);
            Assert.True(batches >= lower && batches <= upper,
                $"Run {runId} holds {batches} batches; {lower} were acknowledged before the backup started and {upper} sent by its end.");
        }
        return parameters.Values.Sum();
    }
}
