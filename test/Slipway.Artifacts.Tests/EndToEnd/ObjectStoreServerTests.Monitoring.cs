using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Monitoring.InferenceLog;

namespace Slipway.Artifacts.Tests.EndToEnd;

public abstract partial class ObjectStoreServerTests
{
    private const int RowsPerRequest = 21;
    private static readonly int[] ShiftedColumns = [0, 1];

    /// <summary>The store type the destination must produce.</summary>
    protected abstract Type StoreType { get; }

    [Fact]
    public async Task ModelInObjectStore_ServedAndMonitored_DriftFoundFromLogInObjectStore()
    {
        await using var session = await ServerSession.StartAsync(Destination(), ConfigureStore);
        var store = session.Server.Services.GetRequiredService<IArtifactStore>();
        Assert.IsType(StoreType, store);
        var (header, reference) = ReadReference();

        var (runId, root) = await session.CreateRunAsync("cancer-training");
        await session.PutArtifactAsync(root + "/datasets/reference.csv", new ByteArrayContent(await File.ReadAllBytesAsync(ReferencePath)));
        await session.PutArtifactAsync(root + "/model/model.onnx", new ByteArrayContent(await File.ReadAllBytesAsync(ModelPath)));
        await session.PostOkAsync("api/2.0/mlflow/runs/log-inputs", new
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
        await session.PostOkAsync("api/2.0/mlflow/registered-models/create", new { name = "cancer" });
        await session.PostOkAsync("api/2.0/mlflow/model-versions/create", new { name = "cancer", source = $"mlflow-artifacts:/{root}/model", run_id = runId });
        await CreateEndpointAsync(session, new { name = "cancer", routes = new[] { new { model = "models:/cancer/1" } }, log_sample_rate = 1 });

        var shifted = Shift(reference);
        await SendTrafficAsync(session, shifted);
        await WaitForLoggedRowsAsync(session, "cancer", shifted.Count);

        // The segments are in the object store, not in a local folder.
        var days = await store.ListAsync("inference-logs/cancer", CancellationToken.None);
        Assert.Contains(days, d => d.IsDirectory && d.Name.StartsWith("date=", StringComparison.Ordinal));

        await session.PostOkAsync("api/slipway/v1/monitors", new { name = "cancer-drift", endpoint = "cancer", reference = new { kind = "model" }, window = "1h" });
        var run = (await session.PostOkAsync("api/slipway/v1/monitors/cancer-drift/runs", new { })).GetProperty("run");

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(shifted.Count, run.GetProperty("rows_seen").GetInt64());
        Assert.Equal(header.Length, run.GetProperty("checked_columns").GetInt32());
        Assert.Equal(ShiftedColumns.Length, run.GetProperty("drifted_columns").GetInt32());
        var detail = (await session.GetOkAsync($"api/slipway/v1/monitors/cancer-drift/runs/{run.GetProperty("id").GetString()}")).GetProperty("run").GetProperty("result");
        var drifted = detail.GetProperty("feature_drift").GetProperty("columns").EnumerateArray()
            .Where(c => c.GetProperty("drift").GetProperty("drift_detected").GetBoolean())
            .Select(c => c.GetProperty("column").GetString()!);
        Assert.Equal(ShiftedColumns.Select(i => header[i]).Order(StringComparer.Ordinal), drifted.Order(StringComparer.Ordinal));
        // DuckDB read local copies of the segments from the server's cache folder.
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(session.CacheDirectory, "inference-logs", "cancer"), "*.parquet", SearchOption.AllDirectories));

        await AssertBoundedCacheEvictsOnlyUnusedCopiesAsync(store, shifted.Count);
    }

    /// <summary>
    /// A reader whose cache bound is far below one window: stale copies of another endpoint are evicted, the window's
    /// own copies are kept while it reads, and the read still sees every row.
    /// </summary>
    private static async Task AssertBoundedCacheEvictsOnlyUnusedCopiesAsync(IArtifactStore store, int expectedRows)
    {
        var folder = Path.Combine(Path.GetTempPath(), "slipway-small-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            var stale = Path.Combine(folder, "inference-logs", "retired", "date=2020-01-01", "part-old.parquet");
            Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
            await File.WriteAllBytesAsync(stale, new byte[64 * 1024]);
            File.SetLastAccessTimeUtc(stale, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            var source = new DuckDbInferenceWindowSource(store, new InferenceSegmentCache(folder, maxBytes: 1024));

            var now = DateTimeOffset.UtcNow;
            var window = await source.ReadAsync(new InferenceWindowQuery("cancer", now.AddHours(-1), now.AddMinutes(1), ["in_input_0"], 10_000), CancellationToken.None);

            Assert.Equal(expectedRows, window.RowsSeen);
            Assert.False(File.Exists(stale), "The least recently used copy outside the window was not evicted.");
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(folder, "inference-logs", "cancer"), "*.parquet", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task CreateEndpointAsync(ServerSession session, object spec)
    {
        var name = (await session.PostOkAsync("api/slipway/v1/endpoints", spec)).GetProperty("endpoint").GetProperty("name").GetString()!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await session.GetOkAsync("api/slipway/v1/endpoints/" + name)).GetProperty("endpoint").GetProperty("status").GetProperty("ready").GetBoolean())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Endpoint {name} never became ready.");
            await Task.Delay(50);
        }
    }

    /// <summary>Sends the rows through OIP REST in requests of 21 and checks every request is answered with a label per row.</summary>
    private static async Task SendTrafficAsync(ServerSession session, List<double[]> rows)
    {
        for (var i = 0; i * RowsPerRequest < rows.Count; i++)
        {
            var batch = rows.Skip(i * RowsPerRequest).Take(RowsPerRequest).ToList();
            var response = await session.PostOkAsync("v2/models/cancer/infer", new
            {
                id = $"r{i}",
                inputs = new[] { new { name = "input", shape = new[] { batch.Count, 30 }, datatype = "FP32", data = batch.SelectMany(r => r).ToArray() } },
            });
            var label = response.GetProperty("outputs").EnumerateArray().First(o => o.GetProperty("name").GetString() == "label");
            Assert.Equal(batch.Count, label.GetProperty("data").GetArrayLength());
        }
    }

    /// <summary>Polls the server's own window reader (object store → cache → DuckDB) until the log holds the rows.</summary>
    private static async Task WaitForLoggedRowsAsync(ServerSession session, string endpoint, int expected)
    {
        var source = session.Server.Services.GetRequiredService<IInferenceWindowSource>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long rows = 0;
        while (rows < expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The inference log of '{endpoint}' holds {rows} rows, expected {expected}.");
            await Task.Delay(200);
            var now = DateTimeOffset.UtcNow;
            rows = (await source.ReadAsync(new InferenceWindowQuery(endpoint, now.AddHours(-1), now.AddMinutes(1), [], 1), CancellationToken.None)).RowsSeen;
        }
        Assert.Equal(expected, rows);
    }

    private static string ReferencePath => Path.Combine(AppContext.BaseDirectory, "TestData", "drift", "sk_breast_cancer_benign_vs_malignant", "reference.csv");

    private static string ModelPath => Path.Combine(AppContext.BaseDirectory, "TestData", "models", "logreg_breast_cancer", "model.onnx");

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
}
