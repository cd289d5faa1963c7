using System.Text.Json;

namespace Slipway.LoadTest.ScaleOut;

/// <summary>
/// The tracking workloads of the scale-out figures, shaped as the SQLite scenarios' (<c>logbatch</c>, <c>search</c>) so
/// that the figures compare: log-batch of 1000 metrics (10 keys × 100 steps) per call, one run per client; and
/// runs/search "metrics.m1 &gt; 0.5" ordered by metrics.m2 DESC, 500 a page, over runs with 5 metrics, params and tags.
/// Requests go round-robin over the given servers (client <c>c</c> to server <c>c mod n</c>).
/// </summary>
internal sealed class TrackingWorkloads(HttpClient http, IReadOnlyList<Uri> servers)
{
    private static readonly TimeSpan PhaseDeadline = TimeSpan.FromSeconds(120);

    private SlipwayApi Api(int client) => new(http, servers[client % servers.Count]);

    public Task<string> CreateExperimentAsync(string name) => Api(0).CreateExperimentAsync(name + "-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary><paramref name="calls"/> log-batch calls of 1000 metrics from <paramref name="clients"/> clients, each on its own run.</summary>
    public async Task<LoadOutcome> LogBatchAsync(string experimentId, int clients, int calls)
    {
        var perClient = calls / clients;
        var bodies = new byte[clients][][];
        for (var c = 0; c < clients; c++)
        {
            var runId = await Api(c).CreateRunAsync(experimentId, $"batch-{clients}-{c}");
            bodies[c] = Enumerable.Range(0, perClient).Select(call => BatchBody(runId, call)).ToArray();
        }
        return await LoadRunner.RunAsync(clients, perClient * clients, PhaseDeadline,
            (worker, index) => Api(worker).PostAsync("runs/log-batch", bodies[worker][index / clients]), interleaved: true);
    }

    /// <summary>Many small requests: each operation is runs/create plus one log-batch of 5 metrics, 5 params and 5 tags.</summary>
    public Task<LoadOutcome> SeedRunsAsync(string experimentId, int clients, int runs, TimeSpan deadline) =>
        LoadRunner.RunAsync(clients, runs, deadline, async (worker, index) =>
        {
            var api = Api(worker);
            var runId = await api.CreateRunAsync(experimentId, $"run-{index}");
            await api.PostAsync("runs/log-batch", SeedBody(runId, index));
        });

    /// <summary>The main search of the <c>search</c> scenario, <paramref name="count"/> times, from <paramref name="clients"/> clients.</summary>
    public async Task<(LoadOutcome Outcome, int Runs)> SearchAsync(string experimentId, int clients, int count)
    {
        var body = SlipwayApi.Json(w =>
        {
            w.WriteStartArray("experiment_ids");
            w.WriteStringValue(experimentId);
            w.WriteEndArray();
            w.WriteString("filter", "metrics.m1 > 0.5");
            w.WriteStartArray("order_by");
            w.WriteStringValue("metrics.m2 DESC");
            w.WriteEndArray();
            w.WriteNumber("max_results", 500);
        });
        var runs = 0;
        for (var s = 0; s < servers.Count; s++)
        {
            // Warm-up on every server, and the page size as a sanity check.
            using var document = JsonDocument.Parse(await Api(s).PostAsync("runs/search", body));
            runs = document.RootElement.TryGetProperty("runs", out var list) ? list.GetArrayLength() : 0;
        }
        var outcome = await LoadRunner.RunAsync(clients, count, PhaseDeadline, (worker, _) => Api(worker).PostAsync("runs/search", body));
        return (outcome, runs);
    }

    private static byte[] BatchBody(string runId, int call) => SlipwayApi.Json(w =>
    {
        w.WriteString("run_id", runId);
        w.WriteStartArray("metrics");
        var timestamp = 1_700_000_000_000L;
        for (var s = 0; s < 100; s++)
        {
            var step = call * 100 + s;
            for (var k = 0; k < 10; k++)
            {
                w.WriteStartObject();
                w.WriteString("key", "m" + k);
                w.WriteNumber("value", Math.Sin(step * 0.001 + k));
                w.WriteNumber("timestamp", timestamp + step);
                w.WriteNumber("step", step);
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
    });

    private static byte[] SeedBody(string runId, int index)
    {
        // Deterministic values, as the search scenario's: the same data on every machine.
        var random = new Random(index);
        return SlipwayApi.Json(w =>
        {
            w.WriteString("run_id", runId);
            w.WriteStartArray("metrics");
            for (var m = 1; m <= 5; m++)
            {
                w.WriteStartObject();
                w.WriteString("key", $"m{m}");
                w.WriteNumber("value", random.NextDouble());
                w.WriteNumber("timestamp", 1_700_000_000_000 + index);
                w.WriteNumber("step", 0);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            foreach (var (array, prefix) in new[] { ("params", "p"), ("tags", "t") })
            {
                w.WriteStartArray(array);
                for (var i = 1; i <= 5; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("key", $"{prefix}{i}");
                    w.WriteString("value", $"value-{i}-{index % 97}");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
        });
    }
}
