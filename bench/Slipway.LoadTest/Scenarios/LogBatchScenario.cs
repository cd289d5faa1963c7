namespace Slipway.LoadTest.Scenarios;

/// <summary>
/// runs/log-batch with 1000 metrics per call (10 keys × 100 steps, the shape a client-side batcher sends),
/// sequentially and from 2 and 4 concurrent clients, each on its own run. A 1-metric batch measures the
/// fixed per-request cost, so that the per-metric cost can be told apart from it.
/// </summary>
internal sealed class LogBatchScenario : IScenario
{
    private const int MetricsPerCall = 1000;
    private const int KeysPerCall = 10;
    private const string Target = "≥ 250,000 metrics/s";
    private const string Mlflow = "≈ 10,800 metrics/s";
    private static readonly TimeSpan PhaseDeadline = TimeSpan.FromSeconds(120);

    public string Name => "logbatch";

    public async Task RunAsync(ScenarioContext context)
    {
        await using var server = await context.StartServerAsync();
        var api = new SlipwayApi(context.Http, server.BaseAddress);
        var experimentId = await api.CreateExperimentAsync("logbatch");

        var warmUpRun = await api.CreateRunAsync(experimentId, "warm-up");
        var warmUp = Bodies(warmUpRun, context.Budget(20, 5), MetricsPerCall);
        await LoadRunner.RunAsync(1, warmUp.Length, PhaseDeadline, (_, i) => api.PostAsync("runs/log-batch", warmUp[i]));

        var calls = context.Budget(200, 20);
        LoadOutcome? sequential = null;
        foreach (var clients in new[] { 1, 2, 4 })
        {
            var (outcome, cpu) = await RunBatchesAsync(server, api, experimentId, clients, calls, MetricsPerCall);
            var metricsPerSecond = outcome.Completed * (double)MetricsPerCall / outcome.Elapsed.TotalSeconds;
            var label = clients == 1 ? "sequential (1 client)" : $"{clients} concurrent clients";
            context.Report(Name, $"log-batch ×1000 metrics, {label}", $"{metricsPerSecond:N0} metrics/s", Target, metricsPerSecond >= 250_000, Mlflow,
                $"{outcome.DeadlineNote}{outcome.Completed} calls in {outcome.Elapsed.TotalSeconds:0.00} s; per call {outcome.Latency.Summary()}; {cpu}");
            if (clients == 1)
                sequential = outcome;
        }

        // The fixed cost of a call, whatever it carries.
        var (single, singleCpu) = await RunBatchesAsync(server, api, experimentId, 1, context.Budget(2000, 200), 1);
        context.Report(Name, "log-batch ×1 metric, sequential (fixed cost per call)", $"{single.PerSecond:N0} calls/s", "", null, "",
            $"{single.DeadlineNote}per call {single.Latency.Summary()}; {singleCpu}");
        if (sequential is not null)
        {
            var perMetricUs = (sequential.Latency.P50 - single.Latency.P50) * 1000 / (MetricsPerCall - 1);
            context.Report(Name, "marginal cost per metric (p50 of ×1000 minus ×1, over 999)", $"{perMetricUs:0.0} µs/metric", "", null, "",
                $"250,000 metrics/s from one client needs ≤ 4 µs/metric all-in");
        }
    }

    private static async Task<(LoadOutcome Outcome, string Cpu)> RunBatchesAsync(ServerProcess server, SlipwayApi api, string experimentId,
        int clients, int totalCalls, int metricsPerCall)
    {
        // Bodies are built before the clock starts: the load generator shares the two cores with the server.
        var perClient = totalCalls / clients;
        var bodies = new byte[clients][][];
        for (var c = 0; c < clients; c++)
        {
            var runId = await api.CreateRunAsync(experimentId, $"batch-{clients}x{metricsPerCall}-{c}");
            bodies[c] = Bodies(runId, perClient, metricsPerCall);
        }
        var before = CpuSample.Take(server);
        var outcome = await LoadRunner.RunAsync(clients, perClient * clients, PhaseDeadline,
            (worker, index) => api.PostAsync("runs/log-batch", bodies[worker][index / clients]), interleaved: true);
        return (outcome, before.Describe(CpuSample.Take(server), outcome.Completed * (long)metricsPerCall, metricsPerCall == 1 ? "call" : "metric"));
    }

    /// <summary>Request bodies for consecutive calls on one run: keys m0..m9, steps continuing from call to call.</summary>
    private static byte[][] Bodies(string runId, int calls, int metricsPerCall)
    {
        var keys = Math.Min(KeysPerCall, metricsPerCall);
        var stepsPerCall = metricsPerCall / keys;
        var bodies = new byte[calls][];
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var call = 0; call < calls; call++)
        {
            bodies[call] = SlipwayApi.Json(w =>
            {
                w.WriteString("run_id", runId);
                w.WriteStartArray("metrics");
                for (var s = 0; s < stepsPerCall; s++)
                {
                    var step = (call * stepsPerCall) + s;
                    for (var k = 0; k < keys; k++)
                    {
                        w.WriteStartObject();
                        w.WriteString("key", KeyNames[k]);
                        w.WriteNumber("value", Math.Sin(step * 0.001 + k));
                        w.WriteNumber("timestamp", timestamp + step);
                        w.WriteNumber("step", step);
                        w.WriteEndObject();
                    }
                }
                w.WriteEndArray();
            });
        }
        return bodies;
    }

    private static readonly string[] KeyNames = Enumerable.Range(0, KeysPerCall).Select(k => $"m{k}").ToArray();
}
