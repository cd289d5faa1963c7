using System.Globalization;
using System.Text.Json;

namespace Slipway.Monitoring.Tests.EndToEnd;

/// <summary>
/// A monitor whose reference is a fixed window of the endpoint's own earlier traffic, with no feature list (so every
/// logged input column is compared by name) and prediction drift on the logged label: traffic sent twice the same
/// shows no drift; traffic with one feature shifted far enough to flip the model's answers shows drift on that feature
/// and on the prediction.
/// </summary>
public sealed class TrafficReferenceTests
{
    private const int Rows = 200;

    [Fact]
    public async Task WindowReference_ShiftedFeature_FeatureAndPredictionDriftOnly()
    {
        await using var server = await MonitoringServer.StartAsync(options =>
        {
            options.InferenceLog.FlushInterval = TimeSpan.FromMilliseconds(200);
            options.Monitoring.SchedulerEnabled = false;
        });
        var (runId, artifactPath) = await server.CreateRunAsync("traffic");
        await server.RegisterVersionAsync("bc", runId, artifactPath, Path.Combine(AppContext.BaseDirectory, "TestData", "models", "logreg_breast_cancer", "model.onnx"));
        await server.CreateEndpointAsync(new { name = "bc", routes = new[] { new { model = "models:/bc/1" } }, log_sample_rate = 1 });
        var rows = ReadRows();

        var referenceFrom = DateTimeOffset.UtcNow.AddSeconds(-1);
        await SendAsync(server, rows);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var referenceTo = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var currentFrom = DateTimeOffset.UtcNow;
        // "worst area" (column 23) scaled far beyond the reference: the model's answers flip.
        await SendAsync(server, rows.Select(r => r.Select((v, j) => j == 23 ? v * 8 : v).ToArray()).ToList());
        await Task.Delay(TimeSpan.FromSeconds(1));
        var windowEnd = DateTimeOffset.UtcNow;
        var window = (int)Math.Ceiling((windowEnd - currentFrom).TotalSeconds);
        await server.WaitForLoggedRowsAsync("bc", 2 * Rows);

        await server.PostOkAsync("api/slipway/v1/monitors", new
        {
            name = "traffic",
            endpoint = "bc",
            reference = new { kind = "window", from = referenceFrom, to = referenceTo },
            window = window.ToString(CultureInfo.InvariantCulture) + "s",
            predictions = new[] { new { name = "label", column = "out_label" } },
        });
        var run = (await server.PostOkAsync("api/slipway/v1/monitors/traffic/runs", new { window_end = windowEnd.ToString("O", CultureInfo.InvariantCulture) })).GetProperty("run");
        var result = (await server.GetOkAsync($"api/slipway/v1/monitors/traffic/runs/{run.GetProperty("id").GetString()}")).GetProperty("run").GetProperty("result");

        Assert.True(run.GetProperty("status").GetString() == "succeeded" && run.TryGetProperty("checked_columns", out _), run.ToString());
        Assert.Equal(Rows, run.GetProperty("rows_seen").GetInt64());
        Assert.Equal(30, run.GetProperty("checked_columns").GetInt32());
        Assert.Equal(["in_input_23"], Drifted(result.GetProperty("feature_drift")));
        Assert.Equal(["label"], Drifted(result.GetProperty("prediction_drift")));
    }

    private static List<string> Drifted(JsonElement drift) =>
        drift.GetProperty("columns").EnumerateArray()
            .Where(c => c.GetProperty("drift").GetProperty("drift_detected").GetBoolean())
            .Select(c => c.GetProperty("column").GetString()!)
            .ToList();

    private static List<double[]> ReadRows() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "drift", "sk_breast_cancer_random_split", "reference.csv"))
            .Skip(1)
            .Take(Rows)
            .Select(l => l.Split(',').Take(30).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToList();

    private static async Task SendAsync(MonitoringServer server, List<double[]> rows)
    {
        for (var i = 0; i < rows.Count; i += 20)
        {
            var batch = rows.Skip(i).Take(20).ToList();
            await server.PostOkAsync("v2/models/bc/infer", new
            {
                inputs = new[] { new { name = "input", shape = new[] { batch.Count, 30 }, datatype = "FP32", data = batch.SelectMany(r => r).ToArray() } },
            });
        }
    }
}
