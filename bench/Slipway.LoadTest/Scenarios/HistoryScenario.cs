using System.Text.Json;

namespace Slipway.LoadTest.Scenarios;

/// <summary>
/// metrics/get-history of one metric with 100,000 steps (logged in batches of 1000), the whole history in
/// one answer. A 1000-step page shows the fixed cost of the call.
/// </summary>
internal sealed class HistoryScenario : IScenario
{
    private const int StepsPerCall = 1000;
    private static readonly TimeSpan PhaseDeadline = TimeSpan.FromSeconds(180);

    public string Name => "history";

    public async Task RunAsync(ScenarioContext context)
    {
        await using var server = await context.StartServerAsync();
        var api = new SlipwayApi(context.Http, server.BaseAddress);
        var experimentId = await api.CreateExperimentAsync("history");
        var runId = await api.CreateRunAsync(experimentId, "long-training");

        var steps = context.Budget(100_000, 10_000);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var logged = await LoadRunner.RunAsync(1, steps / StepsPerCall, PhaseDeadline,
            (_, call) => api.PostAsync("runs/log-batch", Batch(runId, call * StepsPerCall, timestamp)));
        var loggedSteps = logged.Completed * StepsPerCall;

        var query = $"metrics/get-history?run_id={runId}&metric_key=loss";
        var first = await api.GetAsync(query);
        int returned;
        using (var document = JsonDocument.Parse(first))
            returned = document.RootElement.TryGetProperty("metrics", out var metrics) ? metrics.GetArrayLength() : 0;
        if (returned != loggedSteps)
            throw new InvalidOperationException($"get-history returned {returned} points, expected {loggedSteps}");

        var before = CpuSample.Take(server);
        var outcome = await LoadRunner.RunAsync(1, context.Budget(30, 5), PhaseDeadline, (_, _) => api.GetAsync(query));
        var cpu = before.Describe(CpuSample.Take(server), outcome.Completed, "call");
        context.Report(Name, $"get-history, {loggedSteps:N0} steps", $"p50 {LatencyStats.Ms(outcome.Latency.P50)}", "< 150 ms", outcome.Latency.P50 < 150, "",
            $"{outcome.Latency.Summary()}; {first.Length / 1e6:0.0} MB per response ({first.Length / (double)returned:0} bytes/point); {cpu}");

        var page = await LoadRunner.RunAsync(1, context.Budget(100, 20), PhaseDeadline, (_, _) => api.GetAsync(query + "&max_results=1000"));
        context.Report(Name, "get-history, first page of 1,000 steps (fixed cost)", $"p50 {LatencyStats.Ms(page.Latency.P50)}", "", null, "", page.Latency.Summary());
    }

    private static byte[] Batch(string runId, int firstStep, long timestamp) => SlipwayApi.Json(w =>
    {
        w.WriteString("run_id", runId);
        w.WriteStartArray("metrics");
        for (var step = firstStep; step < firstStep + StepsPerCall; step++)
        {
            w.WriteStartObject();
            w.WriteString("key", "loss");
            w.WriteNumber("value", 1.0 / (step + 1));
            w.WriteNumber("timestamp", timestamp + step);
            w.WriteNumber("step", step);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });
}
