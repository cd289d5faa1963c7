using System.Globalization;
using System.Text;

namespace Slipway.LoadTest.Scenarios;

/// <summary>
/// runs/log-metric, one metric per request: 16 concurrent clients, each on its own run (16 training jobs
/// reporting step by step), a fixed total after a warm-up. One client alone is measured too, the case the
/// MLflow reference figure describes.
/// </summary>
internal sealed class LogMetricScenario : IScenario
{
    private const int Clients = 16;
    private static readonly TimeSpan PhaseDeadline = TimeSpan.FromSeconds(180);

    public string Name => "logmetric";

    public async Task RunAsync(ScenarioContext context)
    {
        await using var server = await context.StartServerAsync();
        var api = new SlipwayApi(context.Http, server.BaseAddress);
        var experimentId = await api.CreateExperimentAsync("logmetric");
        var runs = new string[Clients];
        for (var c = 0; c < Clients; c++)
            runs[c] = await api.CreateRunAsync(experimentId, $"client-{c}");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // Step numbers only grow, across warm-up and measurement, so every request inserts a new row.
        var steps = new int[Clients];
        Task Send(int worker) => api.PostAsync("runs/log-metric", Body(runs[worker], steps[worker]++, timestamp));

        await LoadRunner.RunAsync(Clients, context.Budget(5_000, 1_000), PhaseDeadline, (worker, _) => Send(worker), interleaved: true);

        var total = context.Budget(100_000, 10_000);
        var before = CpuSample.Take(server);
        var outcome = await LoadRunner.RunAsync(Clients, total, PhaseDeadline, (worker, _) => Send(worker), interleaved: true);
        var cpu = before.Describe(CpuSample.Take(server), outcome.Completed, "request");
        var latency = outcome.Latency;
        context.Report(Name, $"log-metric, {Clients} clients: throughput", $"{outcome.PerSecond:N0} req/s", "≥ 8,000 req/s", outcome.PerSecond >= 8_000,
            "≈ 180 calls/s (1 client)", $"{outcome.DeadlineNote}{outcome.Completed:N0} requests in {outcome.Elapsed.TotalSeconds:0.0} s; {cpu}");
        context.Report(Name, $"log-metric, {Clients} clients: latency", latency.Summary(), "p99 < 10 ms", latency.P99 < 10, "",
            $"p50 {LatencyStats.Ms(latency.P50)}, p90 {LatencyStats.Ms(latency.P90)}, p99 {LatencyStats.Ms(latency.P99)}");

        // Baselines on the same server: the HTTP pipeline alone, and an EF Core read, against the write above.
        var live = new Uri(server.BaseAddress, "health/live");
        before = CpuSample.Take(server);
        var pipeline = await LoadRunner.RunAsync(Clients, context.Budget(20_000, 2_000), PhaseDeadline, async (_, _) =>
        {
            using var response = await context.Http.GetAsync(live);
            response.EnsureSuccessStatusCode();
        });
        context.Report(Name, $"baseline: GET /health/live, {Clients} clients (HTTP pipeline, no database)", $"{pipeline.PerSecond:N0} req/s", "", null, "",
            $"{pipeline.Latency.Summary()}; {before.Describe(CpuSample.Take(server), pipeline.Completed, "request")}");
        var getRun = $"runs/get?run_id={runs[0]}";
        before = CpuSample.Take(server);
        var reads = await LoadRunner.RunAsync(Clients, context.Budget(20_000, 2_000), PhaseDeadline, (_, _) => api.GetAsync(getRun));
        context.Report(Name, $"baseline: runs/get, {Clients} clients (EF Core read, no write gate)", $"{reads.PerSecond:N0} req/s", "", null, "",
            $"{reads.Latency.Summary()}; {before.Describe(CpuSample.Take(server), reads.Completed, "request")}");

        before = CpuSample.Take(server);
        var single = await LoadRunner.RunAsync(1, context.Budget(3_000, 500), PhaseDeadline, (_, _) => Send(0));
        context.Report(Name, "log-metric, 1 client, sequential", $"{single.PerSecond:N0} req/s", "", null, "≈ 180 calls/s",
            $"{single.DeadlineNote}{single.Latency.Summary()}; {before.Describe(CpuSample.Take(server), single.Completed, "request")}");
    }

    private static byte[] Body(string runId, int step, long timestamp) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$"""{"run_id":"{{runId}}","key":"loss","value":{{1.0 / (step + 1):R}},"timestamp":{{timestamp + step}},"step":{{step}}}"""));
}
