using System.Text.Json;

namespace Slipway.LoadTest.Scenarios;

/// <summary>
/// runs/search over 10,000 runs, each with 5 metrics, 5 params and 5 tags (seeded through runs/create and
/// runs/log-batch), filtered on a metric and ordered by another, 500 results a page. Variants with one
/// result and without filter or order tell the query's cost apart from loading and writing 500 runs.
/// </summary>
internal sealed class SearchScenario : IScenario
{
    private const int SeedClients = 8;
    private const string Filter = "metrics.m1 > 0.5";
    private const string OrderBy = "metrics.m2 DESC";
    private static readonly TimeSpan SeedDeadline = TimeSpan.FromSeconds(420);
    private static readonly TimeSpan PhaseDeadline = TimeSpan.FromSeconds(120);

    public string Name => "search";

    public async Task RunAsync(ScenarioContext context)
    {
        await using var server = await context.StartServerAsync();
        var api = new SlipwayApi(context.Http, server.BaseAddress);
        var experimentId = await api.CreateExperimentAsync("search");

        var runCount = context.Budget(10_000, 1_000);
        var seedBefore = CpuSample.Take(server);
        var seeded = await LoadRunner.RunAsync(SeedClients, runCount, SeedDeadline, (_, index) => SeedRunAsync(api, experimentId, index));
        context.Report(Name, "seeding (runs/create + runs/log-batch of 5 metrics, 5 params, 5 tags)", $"{seeded.PerSecond:N0} runs/s", "", null, "",
            $"{seeded.DeadlineNote}{seeded.Completed:N0} runs, {SeedClients} clients, {seeded.Elapsed.TotalSeconds:0.0} s; {seedBefore.Describe(CpuSample.Take(server), seeded.Completed, "run")}");

        var searches = context.Budget(50, 10);
        var main = await MeasureAsync(api, SearchBody(experimentId, Filter, OrderBy, 500), searches);
        var target = "p50 < 30 ms";
        context.Report(Name, $"runs/search \"{Filter}\" order by {OrderBy}, 500 of {seeded.Completed:N0} runs", $"p50 {LatencyStats.Ms(main.Latency.P50)}",
            target, main.Latency.P50 < 30, "≈ 310 ms (1,000 runs)", $"{main.Latency.Summary()}; {main.Runs} runs, {main.Bytes / 1024.0:N0} KiB per response; {main.Cpu}");

        var one = await MeasureAsync(api, SearchBody(experimentId, Filter, OrderBy, 1), searches / 2);
        context.Report(Name, "same filter and order, max_results 1 (query cost alone)", $"p50 {LatencyStats.Ms(one.Latency.P50)}", "", null, "",
            $"{one.Latency.Summary()}; {one.Cpu}");
        var plain = await MeasureAsync(api, SearchBody(experimentId, null, null, 500), searches / 2);
        context.Report(Name, "no filter, default order, max_results 500 (loading + writing 500 runs)", $"p50 {LatencyStats.Ms(plain.Latency.P50)}", "", null, "",
            $"{plain.Latency.Summary()}; {plain.Cpu}");
        var filterOnly = await MeasureAsync(api, SearchBody(experimentId, Filter, null, 500), searches / 2);
        context.Report(Name, "filter only, default order, max_results 500", $"p50 {LatencyStats.Ms(filterOnly.Latency.P50)}", "", null, "",
            $"{filterOnly.Latency.Summary()}; {filterOnly.Cpu}");

        async Task<(LatencyStats Latency, int Runs, int Bytes, string Cpu)> MeasureAsync(SlipwayApi client, byte[] body, int count)
        {
            var first = await client.PostAsync("runs/search", body); // warm-up, and the shape of the answer
            await client.PostAsync("runs/search", body);
            using var document = JsonDocument.Parse(first);
            var runs = document.RootElement.TryGetProperty("runs", out var list) ? list.GetArrayLength() : 0;
            var before = CpuSample.Take(server);
            var outcome = await LoadRunner.RunAsync(1, count, PhaseDeadline, (_, _) => client.PostAsync("runs/search", body));
            return (outcome.Latency, runs, first.Length, before.Describe(CpuSample.Take(server), outcome.Completed, "search"));
        }
    }

    private static async Task SeedRunAsync(SlipwayApi api, string experimentId, int index)
    {
        var runId = await api.CreateRunAsync(experimentId, $"run-{index}");
        // Deterministic values: the same data set on every machine and every run of the benchmark.
        var random = new Random(index);
        await api.PostAsync("runs/log-batch", SlipwayApi.Json(w =>
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
            WritePairs(w, "params", "p", index);
            WritePairs(w, "tags", "t", index);
        }));
    }

    private static void WritePairs(Utf8JsonWriter w, string name, string prefix, int index)
    {
        w.WriteStartArray(name);
        for (var i = 1; i <= 5; i++)
        {
            w.WriteStartObject();
            w.WriteString("key", $"{prefix}{i}");
            w.WriteString("value", $"value-{i}-{index % 97}");
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static byte[] SearchBody(string experimentId, string? filter, string? orderBy, int maxResults) => SlipwayApi.Json(w =>
    {
        w.WriteStartArray("experiment_ids");
        w.WriteStringValue(experimentId);
        w.WriteEndArray();
        if (filter is not null)
            w.WriteString("filter", filter);
        if (orderBy is not null)
        {
            w.WriteStartArray("order_by");
            w.WriteStringValue(orderBy);
            w.WriteEndArray();
        }
        w.WriteNumber("max_results", maxResults);
    });
}
