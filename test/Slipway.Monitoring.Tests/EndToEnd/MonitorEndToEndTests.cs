using System.Globalization;
using System.Text.Json;
using Slipway.Monitoring.Alerts;

namespace Slipway.Monitoring.Tests.EndToEnd;

/// <summary>
/// The whole monitoring loop on a real server: a registered model whose source run logged its reference dataset is
/// served with every request logged; traffic that matches the reference except for two shifted features arrives,
/// with feedback labels; the monitor finds drift on exactly those two features, computes accuracy from the labels,
/// delivers an alert per drifted feature to a webhook, stores HTML and JSON reports, and exports gauges on /metrics.
/// </summary>
public sealed class MonitorEndToEndTests
{
    private const int RowsPerRequest = 21;
    private static readonly int[] ShiftedColumns = [0, 1];

    [Fact]
    public async Task ShiftedTraffic_DriftOnShiftedFeaturesOnly_AlertDeliveredAndGaugesExported()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var server = await MonitoringServer.StartAsync(options =>
        {
            options.InferenceLog.FlushInterval = TimeSpan.FromMilliseconds(200);
            options.Monitoring.SchedulerEnabled = false;
            options.Monitoring.Alerting = new AlertingOptions { AllowLocalAddresses = true, RetryDelay = TimeSpan.FromMilliseconds(50) };
        });
        var (header, reference) = ReadReference();

        // The model's source run logs the training reference as a dataset input, as `slipway train` and mlflow.log_input do.
        var (runId, artifactPath) = await server.CreateRunAsync("cancer-training");
        await server.UploadAsync(artifactPath, "datasets/reference.csv", await File.ReadAllBytesAsync(ReferencePath));
        await server.PostOkAsync("api/2.0/mlflow/runs/log-inputs", new
        {
            run_id = runId,
            datasets = new[]
            {
                new
                {
                    tags = new[] { new { key = "mlflow.data.context", value = "reference" } },
                    dataset = new { name = "benign", digest = "d1", source_type = "local", source = JsonSerializer.Serialize(new { uri = $"runs:/{runId}/datasets/reference.csv" }) },
                },
            },
        });
        await server.RegisterVersionAsync("cancer", runId, artifactPath, Path.Combine(AppContext.BaseDirectory, "TestData", "models", "logreg_breast_cancer", "model.onnx"));
        await server.CreateEndpointAsync(new { name = "cancer", routes = new[] { new { model = "models:/cancer/1" } }, log_sample_rate = 1 });

        var shifted = Shift(reference);
        var predicted = await SendTrafficAsync(server, shifted);
        await server.WaitForLoggedRowsAsync("cancer", reference.Count);
        await server.PostOkAsync("api/slipway/v1/endpoints/cancer/feedback", new
        {
            labels = Enumerable.Range(0, predicted.Count / RowsPerRequest).Select(i => new { request_id = $"r{i}", label = "1" }),
        });

        await server.PostOkAsync("api/slipway/v1/monitors", new
        {
            name = "cancer-drift",
            endpoint = "cancer",
            reference = new { kind = "model" },
            window = "1h",
            performance = new { task = "classification", prediction_column = "out_label", probability_column = "out_probabilities_1" },
            channels = new[] { new { name = "hook", type = "webhook", url = hook.Url.ToString() } },
            alerts = new object[]
            {
                new { name = "features", kind = "feature_drift", channels = new[] { "hook" } },
                new { name = "share", kind = "drift_share", threshold = 0.05 },
            },
        });
        var run = (await server.PostOkAsync("api/slipway/v1/monitors/cancer-drift/runs", new { })).GetProperty("run");

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(reference.Count, run.GetProperty("rows_seen").GetInt64());
        Assert.Equal("cancer/1", run.GetProperty("model_version").GetString());
        Assert.Equal(header.Length, run.GetProperty("checked_columns").GetInt32());
        Assert.Equal(ShiftedColumns.Length, run.GetProperty("drifted_columns").GetInt32());

        var detail = (await server.GetOkAsync($"api/slipway/v1/monitors/cancer-drift/runs/{run.GetProperty("id").GetString()}")).GetProperty("run").GetProperty("result");
        var drifted = DriftedFeatures(detail);
        Assert.Equal(ShiftedColumns.Select(i => header[i]).Order(StringComparer.Ordinal), drifted.Order(StringComparer.Ordinal));
        var accuracy = predicted.Count(label => label == 1) / (double)predicted.Count;
        Assert.Equal(accuracy, Metric(detail, "accuracy"), 12);

        var alerts = await WaitForAlertsAsync(hook, ShiftedColumns.Length);
        Assert.Equal(ShiftedColumns.Select(i => header[i]).Order(StringComparer.Ordinal), alerts.Order(StringComparer.Ordinal));
        var stored = (await server.GetOkAsync("api/slipway/v1/monitors/cancer-drift/alerts?active=true")).GetProperty("alerts");
        Assert.Equal(ShiftedColumns.Length + 1, stored.GetArrayLength());
        Assert.All(stored.EnumerateArray(), a => Assert.Equal("firing", a.GetProperty("status").GetString()));

        var metrics = await server.GetTextAsync("metrics");
        Assert.Contains(MetricLine("slipway_monitor_drift_detected", header[ShiftedColumns[0]], "1"), metrics.Split('\n'));
        Assert.Contains(MetricLine("slipway_monitor_drift_detected", header[5], "0"), metrics.Split('\n'));
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("slipway_monitor_drift_share{", StringComparison.Ordinal) && l.EndsWith(" " + (2.0 / 30).ToString("R", CultureInfo.InvariantCulture), StringComparison.Ordinal));

        var html = await server.GetTextAsync($"api/slipway/v1/monitors/cancer-drift/runs/{run.GetProperty("id").GetString()}/report.html");
        Assert.Contains(header[0], html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    private static string ReferencePath => Path.Combine(AppContext.BaseDirectory, "TestData", "drift", "sk_breast_cancer_benign_vs_malignant", "reference.csv");

    private static (string[] Header, List<double[]> Rows) ReadReference()
    {
        var lines = File.ReadAllLines(ReferencePath);
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        return (lines[0].Split(','), rows);
    }

    /// <summary>The reference rows with the shifted columns moved by three standard deviations.</summary>
    private static List<double[]> Shift(List<double[]> reference)
    {
        var rows = reference.Select(r => (double[])r.Clone()).ToList();
        foreach (var column in ShiftedColumns)
        {
            var mean = rows.Average(r => r[column]);
            var sd = Math.Sqrt(rows.Average(r => (r[column] - mean) * (r[column] - mean)));
            foreach (var row in rows)
                row[column] += 3 * sd;
        }
        return rows;
    }

    /// <summary>Sends the rows in requests of 21 (ids r0, r1, …) through OIP REST; returns the predicted labels in order.</summary>
    private static async Task<List<long>> SendTrafficAsync(MonitoringServer server, List<double[]> rows)
    {
        var labels = new List<long>();
        for (var i = 0; i * RowsPerRequest < rows.Count; i++)
        {
            var batch = rows.Skip(i * RowsPerRequest).Take(RowsPerRequest).ToList();
            var response = await server.PostOkAsync("v2/models/cancer/infer", new
            {
                id = $"r{i}",
                inputs = new[] { new { name = "input", shape = new[] { batch.Count, 30 }, datatype = "FP32", data = batch.SelectMany(r => r).ToArray() } },
            });
            var label = response.GetProperty("outputs").EnumerateArray().First(o => o.GetProperty("name").GetString() == "label");
            labels.AddRange(label.GetProperty("data").EnumerateArray().Select(v => v.GetInt64()));
        }
        return labels;
    }

    private static List<string> DriftedFeatures(JsonElement report) =>
        report.GetProperty("feature_drift").GetProperty("columns").EnumerateArray()
            .Where(c => c.GetProperty("drift").GetProperty("drift_detected").GetBoolean())
            .Select(c => c.GetProperty("column").GetString()!)
            .ToList();

    private static double Metric(JsonElement report, string name) =>
        report.GetProperty("performance").GetProperty("metrics").GetProperty(name).GetDouble();

    /// <summary>The features of the first firing alerts the webhook received from the feature rule.</summary>
    private static async Task<List<string>> WaitForAlertsAsync(WebhookReceiver hook, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var features = hook.Bodies
                .Select(b => b.GetProperty("alert").GetProperty("labels"))
                .Where(l => l.TryGetProperty("feature", out _))
                .Select(l => l.GetProperty("feature").GetString()!)
                .Distinct()
                .ToList();
            if (features.Count >= expected || DateTime.UtcNow > deadline)
                return features;
            await Task.Delay(50);
        }
    }

    private static string MetricLine(string metric, string feature, string value) =>
        $"{metric}{{monitor=\"cancer-drift\",endpoint=\"cancer\",model_version=\"cancer/1\",feature=\"{feature}\",method=\"ks\",kind=\"feature\"}} {value}";
}
