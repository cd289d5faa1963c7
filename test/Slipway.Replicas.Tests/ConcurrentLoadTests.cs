using System.Text.Json;
using Slipway.Replicas.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Slipway.Replicas.Tests;

/// <summary>
/// The load check: clients spread over both replicas create runs and log metrics and params; afterwards every
/// count read through either replica is exactly what the clients were answered OK for. Also under a PostgreSQL
/// failover-like event (every server connection of the database terminated, repeatedly): nothing acknowledged is lost,
/// and the only error a client may see is the 503 for a write whose COMMIT was sent when its connection died (stored
/// or not, never twice); the stored counts lie between what was acknowledged and that plus the ambiguous writes.
/// </summary>
[Collection(ReplicaCollection.Name)]
public sealed class ConcurrentLoadTests(ReplicaPair pair, ITestOutputHelper output)
{
    [Fact]
    public async Task EightClientsOverBothReplicasFor30Seconds_CountsMatchWhatWasAnsweredOk()
    {
        var experiment = await CreateExperimentAsync("load");
        var load = new TrackingLoad(pair.Both, experiment);

        await load.RunAsync(clients: 8, duration: TimeSpan.FromSeconds(30));

        output.WriteLine($"{load.Requests} requests, {load.Acknowledged.Count} runs, {load.Acknowledged.Values.Sum(v => v.Metrics)} metric points acknowledged.");
        Assert.True(load.Failures.IsEmpty, "Requests failed:\n" + string.Join("\n", load.Failures.Take(20)));
        // No connection was lost, so no commit outcome was unknown: the counts below are exact.
        Assert.Equal(0, load.AmbiguousCreates);
        Assert.Empty(load.AmbiguousBatches);
        Assert.True(load.Acknowledged.Count >= 8, $"Only {load.Acknowledged.Count} runs were created in 30 s.");
        foreach (var replica in pair.Both)
            await AssertStoredAsync(replica, experiment, load);
    }

    [Fact]
    public async Task WriteLoad_AllDatabaseConnectionsTerminatedRepeatedly_NoOtherErrorAndNothingLostOrDoubled()
    {
        var experiment = await CreateExperimentAsync("failover");
        var load = new TrackingLoad(pair.Both, experiment);

        var running = load.RunAsync(clients: 4, duration: TimeSpan.FromSeconds(12));
        long terminated = 0;
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            terminated += await pair.Database.TerminateConnectionsAsync();
        }
        await running;

        output.WriteLine($"{terminated} connections terminated during {load.Requests} requests; "
            + $"{load.AmbiguousCreates} run creations and {load.AmbiguousBatches.Values.Sum()} log batches answered commit-outcome-unknown.");
        Assert.True(terminated > 0);
        Assert.True(load.Failures.IsEmpty, $"Requests failed ({load.Failures.Count}):\n" + string.Join("\n", load.Failures.Take(20)) + "\n" + pair.Logs());
        foreach (var replica in pair.Both)
            await AssertStoredAsync(replica, experiment, load);
    }

    private async Task<string> CreateExperimentAsync(string prefix) =>
        (await pair.A.Http.PostOkAsync("api/2.0/mlflow/experiments/create", new { name = $"{prefix}-{Guid.NewGuid():N}" }))
            .GetProperty("experiment_id").GetString()!;

    /// <summary>
    /// Every run, param and metric point acknowledged, as <paramref name="replica"/> reads them; no more than that,
    /// except what the ambiguous (commit-outcome-unknown) answers may have stored, each at most once. Without ambiguous
    /// answers the counts are exact.
    /// </summary>
    private static async Task AssertStoredAsync(ReplicaProcess replica, string experiment, TrackingLoad load)
    {
        var stored = await SearchAllRunsAsync(replica, experiment);
        Assert.Subset(stored.Keys.ToHashSet(StringComparer.Ordinal), load.Acknowledged.Keys.ToHashSet(StringComparer.Ordinal));
        Assert.InRange(stored.Count, load.Acknowledged.Count, load.Acknowledged.Count + load.AmbiguousCreates);
        foreach (var (runId, (metrics, parameters)) in load.Acknowledged)
        {
            var ambiguous = load.AmbiguousBatches.GetValueOrDefault(runId);
            var storedParams = stored[runId].GetProperty("data").TryGetProperty("params", out var p) ? p.GetArrayLength() : 0;
            Assert.InRange(storedParams, parameters, parameters + ambiguous * TrackingLoad.ParamsPerBatch);
            Assert.InRange(await CountHistoryAsync(replica, runId), metrics, metrics + ambiguous * TrackingLoad.MetricsPerBatch);
        }
    }

    private static async Task<Dictionary<string, JsonElement>> SearchAllRunsAsync(ReplicaProcess replica, string experiment)
    {
        var runs = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await replica.Http.PostOkAsync("api/2.0/mlflow/runs/search",
                token is null ? new { experiment_ids = new[] { experiment }, max_results = 1000 } : new { experiment_ids = new[] { experiment }, max_results = 1000, page_token = token });
            if (page.TryGetProperty("runs", out var items))
            {
                foreach (var run in items.EnumerateArray())
                    runs.Add(run.GetProperty("info").GetProperty("run_id").GetString()!, run);
            }
            token = page.TryGetProperty("next_page_token", out var next) ? next.GetString() : null;
        }
        while (!string.IsNullOrEmpty(token));
        return runs;
    }

    private static async Task<int> CountHistoryAsync(ReplicaProcess replica, string runId)
    {
        var count = 0;
        string? token = null;
        do
        {
            var query = $"api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=loss&max_results=25000"
                + (token is null ? "" : "&page_token=" + Uri.EscapeDataString(token));
            var page = await replica.Http.GetOkAsync(query);
            count += page.TryGetProperty("metrics", out var metrics) ? metrics.GetArrayLength() : 0;
            token = page.TryGetProperty("next_page_token", out var next) ? next.GetString() : null;
        }
        while (!string.IsNullOrEmpty(token));
        return count;
    }
}
