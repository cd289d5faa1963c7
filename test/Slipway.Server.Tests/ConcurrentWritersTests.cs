using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Server.Tests.Infrastructure;
using Slipway.Testing;
using Xunit.Abstractions;

namespace Slipway.Server.Tests;

/// <summary>
/// Sixteen writers for thirty seconds against one server on SQLite, mixing every write RPC on a shared run and on
/// their own runs: no 5xx, no "database is locked", and nothing acknowledged is lost.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class ConcurrentWritersTests(ITestOutputHelper output)
{
    private const int Writers = 16;
    private const int MaxOperationsPerWriter = 4000;
    private const int MetricsPerBatch = 10;
    private const long BaseTimestamp = 1_700_000_000_000;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task MixedWrites_SixteenWritersForThirtySeconds_NoServerErrorsAndNothingLost()
    {
        await using var server = await SlipwayTestServer.StartAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var experimentId = await Api.CreateExperimentAsync(client, "concurrency-" + Guid.NewGuid().ToString("N"));
        var sharedRun = await Api.CreateRunAsync(client, experimentId, "shared");
        var ownRuns = new string[Writers];
        for (var w = 0; w < Writers; w++)
            ownRuns[w] = await Api.CreateRunAsync(client, experimentId, $"own-{w}");

        var clock = Stopwatch.StartNew();
        var logs = await Task.WhenAll(Enumerable.Range(0, Writers)
            .Select(w => Task.Run(() => WriteAsync(client, new WriterLog(w, experimentId, sharedRun, ownRuns[w]), clock))));

        var statuses = logs.SelectMany(l => l.Statuses).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var failures = logs.SelectMany(l => l.Failures).ToList();
        var summary = $"{logs.Sum(l => l.Operations)} requests, statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}";
        output.WriteLine(summary);
        Assert.True(logs.Sum(l => l.Operations) > Writers, "the writers made almost no requests; " + summary);
        Assert.True(!statuses.Keys.Any(s => s >= 500), $"5xx answers: {summary}\n{string.Join("\n", failures.Take(10))}");
        Assert.True(!failures.Any(f => f.Contains("database is locked", StringComparison.OrdinalIgnoreCase)), "\"database is locked\": " + summary);
        Assert.True(failures.Count == 0, $"{failures.Count} failed requests; {summary}\n{string.Join("\n", failures.Take(10))}");

        var lost = new List<string>();
        foreach (var series in logs.SelectMany(l => l.Metrics).GroupBy(m => (m.RunId, m.Key)))
        {
            var expected = series.Select(m => (m.Step, m.Value)).ToHashSet();
            var history = await Api.GetHistoryAsync(client, series.Key.RunId, series.Key.Key);
            if (history.Count != expected.Count || !expected.SetEquals(history))
                lost.Add($"metric {series.Key.Key} on {series.Key.RunId}: {expected.Count} acknowledged, {history.Count} in history, {expected.Except(history).Count()} missing");
        }
        foreach (var runId in ownRuns.Append(sharedRun))
        {
            var data = (await Api.GetAsync(client, $"runs/get?run_id={runId}")).GetProperty("run").GetProperty("data");
            var tags = KeyValues(data, "tags");
            var parameters = KeyValues(data, "params");
            lost.AddRange(logs.SelectMany(l => l.Tags).Where(t => t.RunId == runId && tags.GetValueOrDefault(t.Key) != t.Value).Select(t => $"tag {t.Key} on {runId}"));
            lost.AddRange(logs.SelectMany(l => l.Params).Where(p => p.RunId == runId && parameters.GetValueOrDefault(p.Key) != p.Value).Select(p => $"param {p.Key} on {runId}"));
        }
        var created = logs.SelectMany(l => l.CreatedRuns).ToHashSet();
        var searched = await SearchRunIdsAsync(client, experimentId);
        lost.AddRange(created.Where(id => !searched.Contains(id)).Select(id => $"created run {id}"));
        Assert.Equal(Writers + 1 + created.Count, searched.Count);

        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged writes are missing; {summary}\n{string.Join("\n", lost.Take(20))}");
    }

    private static async Task<WriterLog> WriteAsync(HttpClient client, WriterLog log, Stopwatch clock)
    {
        for (var i = 0; i < MaxOperationsPerWriter && clock.Elapsed < Duration; i++)
        {
            var w = log.Writer;
            var alternate = i % 2 == 0 ? log.SharedRun : log.OwnRun;
            switch (i % 5)
            {
                case 0:
                    if (await PostAsync(client, log, "runs/log-metric", new { run_id = alternate, key = $"lm_w{w}", value = Value(i), timestamp = BaseTimestamp + i, step = i }))
                        log.Metrics.Add((alternate, $"lm_w{w}", i, Value(i)));
                    break;
                case 1:
                    var steps = Enumerable.Range(i * MetricsPerBatch, MetricsPerBatch).Select(s => (long)s).ToList();
                    var batch = new
                    {
                        run_id = alternate,
                        metrics = steps.Select(s => new { key = $"lb_w{w}", value = Value(s), timestamp = BaseTimestamp + i, step = s }),
                        @params = new[] { new { key = $"bp_w{w}_{i}", value = $"b{i}" } },
                        tags = new[] { new { key = $"bt_w{w}_{i}", value = $"b{i}" } },
                    };
                    if (await PostAsync(client, log, "runs/log-batch", batch))
                    {
                        log.Metrics.AddRange(steps.Select(s => (alternate, $"lb_w{w}", s, Value(s))));
                        log.Params.Add((alternate, $"bp_w{w}_{i}", $"b{i}"));
                        log.Tags.Add((alternate, $"bt_w{w}_{i}", $"b{i}"));
                    }
                    break;
                case 2:
                    if (await PostAsync(client, log, "runs/set-tag", new { run_id = log.SharedRun, key = $"t_w{w}_{i}", value = $"v{i}" }))
                        log.Tags.Add((log.SharedRun, $"t_w{w}_{i}", $"v{i}"));
                    break;
                case 3 when i % 10 == 3:
                    // Every writer logs the same param with the same value: idempotent, as client retries rely on.
                    if (await PostAsync(client, log, "runs/log-parameter", new { run_id = log.SharedRun, key = "shared_param", value = "same" }))
                        log.Params.Add((log.SharedRun, "shared_param", "same"));
                    break;
                case 3:
                    if (await PostAsync(client, log, "runs/log-parameter", new { run_id = log.OwnRun, key = $"p_w{w}_{i}", value = $"{i}" }))
                        log.Params.Add((log.OwnRun, $"p_w{w}_{i}", $"{i}"));
                    break;
                default:
                    var run = await PostForBodyAsync(client, log, "runs/create", new { experiment_id = log.ExperimentId, run_name = $"c_w{w}_{i}", start_time = BaseTimestamp + i });
                    if (run is { } body)
                        log.CreatedRuns.Add(body.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!);
                    break;
            }
        }
        return log;
    }

    private static async Task<bool> PostAsync(HttpClient client, WriterLog log, string rpc, object body) =>
        await PostForBodyAsync(client, log, rpc, body) is not null;

    private static async Task<JsonElement?> PostForBodyAsync(HttpClient client, WriterLog log, string rpc, object body)
    {
        log.Operations++;
        try
        {
            using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(Api.Prefix + rpc, content);
            var text = await response.Content.ReadAsStringAsync();
            log.Statuses.Add((int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            log.Failures.Add($"{rpc} → {(int)response.StatusCode}: {MlflowError.Shorten(text)}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            log.Failures.Add($"{rpc} → {e.GetType().Name}: {e.Message}");
        }
        return null;
    }

    private static async Task<HashSet<string>> SearchRunIdsAsync(HttpClient client, string experimentId)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await Api.PostAsync(client, "runs/search", new { experiment_ids = new[] { experimentId }, run_view_type = "ALL", max_results = 5000, page_token = token });
            if (page.TryGetProperty("runs", out var runs))
            {
                foreach (var run in runs.EnumerateArray())
                    ids.Add(run.GetProperty("info").GetProperty("run_id").GetString()!);
            }
            token = page.TryGetProperty("next_page_token", out var next) ? next.GetString() : null;
        }
        while (!string.IsNullOrEmpty(token));
        return ids;
    }

    private static Dictionary<string, string> KeyValues(JsonElement data, string list) =>
        data.TryGetProperty(list, out var items)
            ? items.EnumerateArray().ToDictionary(e => e.GetProperty("key").GetString()!, e => e.GetProperty("value").GetString()!)
            : [];

    private static double Value(long step) => step * 0.25;

    /// <summary>What one writer sent and got acknowledged; only its own task touches it until the writers finish.</summary>
    private sealed class WriterLog(int writer, string experimentId, string sharedRun, string ownRun)
    {
        public int Writer { get; } = writer;

        public string ExperimentId { get; } = experimentId;

        public string SharedRun { get; } = sharedRun;

        public string OwnRun { get; } = ownRun;

        public int Operations { get; set; }

        public List<int> Statuses { get; } = [];

        public List<string> Failures { get; } = [];

        public List<(string RunId, string Key, long Step, double Value)> Metrics { get; } = [];

        public List<(string RunId, string Key, string Value)> Tags { get; } = [];

        public List<(string RunId, string Key, string Value)> Params { get; } = [];

        public List<string> CreatedRuns { get; } = [];
    }
}
