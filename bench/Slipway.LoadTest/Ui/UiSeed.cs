using System.Globalization;

namespace Slipway.LoadTest.Ui;

/// <summary>
/// The data the UI benchmark looks at, logged over the REST API the way clients log it: an experiment of many runs,
/// each with a few params and metrics (created and logged from several concurrent clients), and one run with long
/// histories of ten metrics, logged in batches of 1000 points.
/// </summary>
internal static class UiSeed
{
    public const int MetricKeys = 10;
    public const string SortMetric = "accuracy";
    private const int PointsPerBatch = 1000;
    private const int Workers = 4;
    private static readonly TimeSpan PhaseDeadline = TimeSpan.FromMinutes(10);

    /// <summary>Creates the experiment and its runs; returns the experiment id and how long logging took.</summary>
    public static async Task<(string ExperimentId, TimeSpan Elapsed)> ManyRunsAsync(SlipwayApi api, int runs)
    {
        var experimentId = await api.CreateExperimentAsync("ui-many-runs");
        var startTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - runs * 1000L;
        var outcome = await LoadRunner.RunAsync(Workers, runs, PhaseDeadline, async (_, index) =>
        {
            var runId = await CreateRunAsync(api, experimentId, $"run-{index:D5}", startTime + index * 1000L);
            await api.PostAsync("runs/log-batch", RunBatch(runId, index, startTime + index * 1000L));
        });
        if (outcome.Completed != runs)
            throw new TimeoutException($"only {outcome.Completed} of {runs} runs were logged within {PhaseDeadline}");
        return (experimentId, outcome.Elapsed);
    }

    /// <summary>One run with <see cref="MetricKeys"/> metrics of <paramref name="steps"/> steps each; returns its id.</summary>
    public static async Task<(string RunId, TimeSpan Elapsed)> LongHistoriesAsync(SlipwayApi api, int steps)
    {
        var experimentId = await api.CreateExperimentAsync("ui-long-histories");
        var runId = await api.CreateRunAsync(experimentId, "long-training");
        var stepsPerBatch = PointsPerBatch / MetricKeys;
        var batches = steps / stepsPerBatch;
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var outcome = await LoadRunner.RunAsync(Workers, batches, PhaseDeadline,
            (_, batch) => api.PostAsync("runs/log-batch", HistoryBatch(runId, batch * stepsPerBatch, stepsPerBatch, timestamp)));
        if (outcome.Completed != batches)
            throw new TimeoutException($"only {outcome.Completed} of {batches} history batches were logged within {PhaseDeadline}");
        return (runId, outcome.Elapsed);
    }

    private static async Task<string> CreateRunAsync(SlipwayApi api, string experimentId, string name, long startTime)
    {
        var body = await api.PostAsync("runs/create", SlipwayApi.Json(w =>
        {
            w.WriteString("experiment_id", experimentId);
            w.WriteString("run_name", name);
            w.WriteNumber("start_time", startTime);
        }));
        using var document = System.Text.Json.JsonDocument.Parse(body);
        return document.RootElement.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
    }

    /// <summary>Three params and three metrics whose values do not follow the creation order, so a sort reorders the page.</summary>
    private static byte[] RunBatch(string runId, int index, long timestamp) => SlipwayApi.Json(w =>
    {
        var random = new Random(index);
        w.WriteString("run_id", runId);
        w.WriteStartArray("params");
        Param(w, "learning_rate", (0.001 * (1 + index % 50)).ToString(CultureInfo.InvariantCulture));
        Param(w, "max_depth", (3 + index % 8).ToString(CultureInfo.InvariantCulture));
        Param(w, "optimizer", index % 3 == 0 ? "adam" : index % 3 == 1 ? "sgd" : "rmsprop");
        w.WriteEndArray();
        w.WriteStartArray("metrics");
        Metric(w, SortMetric, random.NextDouble(), timestamp, 0);
        Metric(w, "loss", random.NextDouble() * 2, timestamp, 0);
        Metric(w, "f1", random.NextDouble(), timestamp, 0);
        w.WriteEndArray();
    });

    private static byte[] HistoryBatch(string runId, int firstStep, int steps, long timestamp) => SlipwayApi.Json(w =>
    {
        w.WriteString("run_id", runId);
        w.WriteStartArray("metrics");
        for (var key = 0; key < MetricKeys; key++)
        {
            for (var step = firstStep; step < firstStep + steps; step++)
            {
                // A decaying curve with noise: the shape a training loss has, with extremes the downsampler must keep.
                var value = (key + 1) / Math.Sqrt(step + 1) + 0.05 * Math.Sin(step * 0.37 + key);
                Metric(w, $"metric_{key:D2}", value, timestamp + step, step);
            }
        }
        w.WriteEndArray();
    });

    private static void Param(System.Text.Json.Utf8JsonWriter w, string key, string value)
    {
        w.WriteStartObject();
        w.WriteString("key", key);
        w.WriteString("value", value);
        w.WriteEndObject();
    }

    private static void Metric(System.Text.Json.Utf8JsonWriter w, string key, double value, long timestamp, long step)
    {
        w.WriteStartObject();
        w.WriteString("key", key);
        w.WriteNumber("value", value);
        w.WriteNumber("timestamp", timestamp);
        w.WriteNumber("step", step);
        w.WriteEndObject();
    }
}
