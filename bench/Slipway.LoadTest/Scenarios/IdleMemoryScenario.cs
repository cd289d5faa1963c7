namespace Slipway.LoadTest.Scenarios;

/// <summary>Resident memory of the server after start-up, a handful of requests touching each subsystem, and 5 s idle.</summary>
internal sealed class IdleMemoryScenario : IScenario
{
    private static readonly TimeSpan IdleTime = TimeSpan.FromSeconds(5);

    public string Name => "idle-memory";

    public async Task RunAsync(ScenarioContext context)
    {
        await using var server = await context.StartServerAsync();
        var afterStart = server.Memory();
        var api = new SlipwayApi(context.Http, server.BaseAddress);
        var experimentId = await api.CreateExperimentAsync("idle-memory");
        var runId = await api.CreateRunAsync(experimentId, "idle");
        await api.PostAsync("runs/log-batch", SlipwayApi.Json(w =>
        {
            w.WriteString("run_id", runId);
            w.WriteStartArray("metrics");
            for (var step = 0; step < 100; step++)
            {
                w.WriteStartObject();
                w.WriteString("key", "loss");
                w.WriteNumber("value", 1.0 / (step + 1));
                w.WriteNumber("timestamp", 1_700_000_000_000 + step);
                w.WriteNumber("step", step);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
        await api.GetAsync($"runs/get?run_id={runId}");
        await api.GetAsync($"metrics/get-history?run_id={runId}&metric_key=loss");
        await api.PostAsync("runs/search", SlipwayApi.Json(w =>
        {
            w.WriteStartArray("experiment_ids");
            w.WriteStringValue(experimentId);
            w.WriteEndArray();
            w.WriteString("filter", "metrics.loss < 1");
        }));
        await api.GetAsync("experiments/search?max_results=10");
        await Task.Delay(IdleTime);
        var (rss, peak) = server.Memory();
        // /proc counts KiB; the target is in MB (10^6 bytes), so compare in MB to be strict.
        var rssMb = rss * 1024 * 1024 / 1e6;
        context.Report(Name, "idle RSS (start-up + 7 requests + 5 s idle)", $"{rssMb:0.0} MB ({rss:0.0} MiB)", "< 150 MB", rssMb < 150, "",
            $"VmRSS right after ready {afterStart.Rss:0.0} MiB; VmHWM (peak) {peak:0.0} MiB");
    }
}
