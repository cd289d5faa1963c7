using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;

namespace Slipway.LoadTest.Scenarios;

/// <summary>
/// A monitor run over a day of inference log of an endpoint that served 5,000,000 requests (one row each, the 30
/// features of the breast-cancer model, a label and two probabilities; 5 of the 30 features drifted), against a
/// 200,000-row Parquet reference logged as a run artifact. The log is written straight into the server's artifact
/// folder with DuckDB, in the writer's schema and Hive layout, because sending 5M requests would measure serving,
/// not monitoring. Each run goes through the REST API (<c>POST monitors/{name}/runs</c>) and is timed end to end:
/// the window count and 1,000,000-row sample, the reference, drift on 30 features, data quality, both reports.
/// </summary>
internal sealed class MonitorRunScenario : IScenario
{
    private const int Features = 30;
    private const int ReferenceRows = 200_000;
    private const string Endpoint = "monitored";
    private const string Monitor = "daily-drift";

    public string Name => "monitor-run";

    public async Task RunAsync(ScenarioContext context)
    {
        var requests = context.Budget(5_000_000, 500_000);
        await using var server = await context.StartServerAsync();
        var setup = new ServingSetup(context.Http, server.BaseAddress);
        var experiment = await setup.CreateExperimentAsync("monitor-bench");
        await setup.RegisterAsync(experiment, "bc", Path.Combine(ServingSetup.KitFolder(), "logreg_breast_cancer"), "model.onnx");
        await setup.CreateEndpointAsync(Endpoint, "models:/bc/1", null);
        await setup.WaitReadyAsync(Endpoint, TimeSpan.FromSeconds(60));

        var now = DateTimeOffset.UtcNow;
        var dayStart = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var logFolder = Path.Combine(server.ArtifactRoot, "inference-logs", Endpoint, "date=" + dayStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var written = Stopwatch.StartNew();
        WriteLog(logFolder, requests, dayStart, now);
        var reference = Path.Combine(Path.GetTempPath(), $"slipway-bench-reference-{Environment.ProcessId}.parquet");
        WriteReference(reference);
        Console.WriteLine($"  wrote {requests:N0} log rows and {ReferenceRows:N0} reference rows in {written.Elapsed.TotalSeconds:0.0} s");

        var runId = await CreateRunAsync(context.Http, server.BaseAddress, experiment);
        await UploadAsync(context.Http, server.BaseAddress, experiment, runId, reference);
        File.Delete(reference);
        await PostAsync(context.Http, server.BaseAddress, "api/slipway/v1/monitors", new
        {
            name = Monitor,
            endpoint = Endpoint,
            reference = new { kind = "dataset", uri = $"runs:/{runId}/reference.parquet" },
            window = "1d",
        });

        var times = new List<double>();
        JsonElement run = default;
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            run = (await PostAsync(context.Http, server.BaseAddress, $"api/slipway/v1/monitors/{Monitor}/runs", new { })).GetProperty("run");
            times.Add(clock.Elapsed.TotalSeconds);
            if (run.GetProperty("status").GetString() != "succeeded")
                throw new InvalidOperationException("The monitor run failed: " + run);
            Console.WriteLine($"  run {i + 1}: {times[^1]:0.00} s, {run.GetProperty("rows_seen").GetInt64():N0} rows, drifted {run.GetProperty("drifted_columns").GetInt32()}/{run.GetProperty("checked_columns").GetInt32()}");
        }
        var (rss, peak) = server.Memory();
        var best = times.Min();
        context.Report(Name, $"monitor run over a day of log ({requests:N0} requests, {Features} features; reference {ReferenceRows:N0} rows)",
            $"{best:0.00} s (runs: {string.Join(", ", times.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))} s)", "< 10 s", times.Max() < 10, "",
            $"rows seen {run.GetProperty("rows_seen").GetInt64():N0}, sampled to 1,000,000; drifted {run.GetProperty("drifted_columns").GetInt32()}/{Features} (5 shifted); server VmHWM {peak:0} MiB, VmRSS after {rss:0} MiB");
    }

    /// <summary>The log in five Parquet segments, timestamps spread over today until now, features 0-4 shifted by one sd.</summary>
    private static void WriteLog(string folder, int rows, DateTimeOffset from, DateTimeOffset to)
    {
        Directory.CreateDirectory(folder);
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        const int Segments = 5;
        var span = Math.Max(1, to.ToUnixTimeMilliseconds() - from.ToUnixTimeMilliseconds() - 1000);
        for (var s = 0; s < Segments; s++)
        {
            var first = (long)rows * s / Segments;
            var last = (long)rows * (s + 1) / Segments;
            var features = string.Join(", ", Enumerable.Range(0, Features).Select(j => $"{Normal("i", j, 1)} * {Scale(j)} + {Offset(j)} + {(j < 5 ? Scale(j) : 0)} AS in_input_{j}"));
            var path = Path.Combine(folder, $"part-bench-{s}.parquet");
            Execute(connection, $$"""
                COPY (
                  SELECT 'r' || i AS request_id, 0::INTEGER AS row, '{{Endpoint}}' AS endpoint, 'default' AS route, 'bc/1' AS model_version,
                         ({{from.ToUnixTimeMilliseconds()}} + i * {{span}} // {{rows}})::BIGINT AS timestamp,
                         make_timestamp(({{from.ToUnixTimeMilliseconds()}} + i * {{span}} // {{rows}}) * 1000) AS time,
                         1.5::DOUBLE AS latency_ms, false AS shadow, '{}' AS inputs, '{}' AS outputs,
                         {{features}},
                         (hash(i) % 2)::DOUBLE AS out_label,
                         ((hash(i * 7) % 1000) / 1000.0)::DOUBLE AS out_probabilities_0,
                         (1 - (hash(i * 7) % 1000) / 1000.0)::DOUBLE AS out_probabilities_1
                  FROM range({{first}}, {{last}}) t(i)
                ) TO '{{path}}' (FORMAT parquet)
                """);
        }
    }

    private static void WriteReference(string path)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        var features = string.Join(", ", Enumerable.Range(0, Features).Select(j => $"{Normal("i", j + 100, 1)} * {Scale(j)} + {Offset(j)} AS in_input_{j}"));
        Execute(connection, $"COPY (SELECT {features} FROM range({ReferenceRows}) t(i)) TO '{path}' (FORMAT parquet)");
    }

    /// <summary>A standard normal from two hashed uniforms (Box-Muller): deterministic, no generator state.</summary>
    private static string Normal(string row, int column, int salt) =>
        $"(sqrt(-2 * ln(((hash({row} * 131 + {column * 2 + salt}) % 1000003) + 1) / 1000004.0)) * cos(2 * pi() * ((hash({row} * 137 + {column * 2 + salt + 1}) % 1000003) / 1000003.0)))";

    private static string Scale(int column) => (1 + column % 7).ToString(CultureInfo.InvariantCulture);

    private static string Offset(int column) => (10 * column).ToString(CultureInfo.InvariantCulture);

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static async Task<string> CreateRunAsync(HttpClient http, Uri server, string experimentId)
    {
        var run = await PostAsync(http, server, "api/2.0/mlflow/runs/create", new { experiment_id = experimentId });
        return run.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
    }

    private static async Task UploadAsync(HttpClient http, Uri server, string experimentId, string runId, string file)
    {
        await using var stream = File.OpenRead(file);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await http.PutAsync(new Uri(server, $"api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/reference.parquet"), content);
        put.EnsureSuccessStatusCode();
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, Uri server, string path, object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(server, path), content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
