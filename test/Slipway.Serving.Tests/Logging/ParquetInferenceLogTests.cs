using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Serving.Inference;
using Slipway.Serving.Logging;
using static Slipway.Serving.Tests.Logging.LogTestKit;

namespace Slipway.Serving.Tests.Logging;

public sealed partial class ParquetInferenceLogTests : IDisposable
{
    private static readonly DateOnly Day1 = new(2025, 3, 1);
    private static readonly DateOnly Day2 = new(2025, 3, 2);
    private const int RowsPerRequest = 5;

    private readonly LogTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task TryWrite_25000RowsOnTwoEndpointsAndTwoDays_DuckDbReadsEveryRowFromTheRightPartition()
    {
        await using var services = _kit.BuildLog(new InferenceLogOptions { SegmentRows = 4_000, FlushInterval = TimeSpan.FromMinutes(10) });
        var log = services.GetRequiredService<ParquetInferenceLog>();
        await log.StartAsync(CancellationToken.None);
        var expectedLatency = new Dictionary<string, List<double>> { ["e1"] = [], ["e2"] = [] };
        for (var k = 0; k < 5_000; k++)
        {
            var record = BatchRecord(k);
            Assert.True(log.TryWrite(record));
            expectedLatency[record.Endpoint].Add(record.LatencyMilliseconds);
        }
        await log.StopAsync(CancellationToken.None);
        Assert.Equal(0, log.Dropped);

        // e1 gets 3 of every 5 requests (15,000 rows), e2 the others (10,000); days alternate every 5 requests.
        Assert.Equal(["date=2025-03-01", "date=2025-03-02"], Directory.GetDirectories(Path.Combine(_kit.Root, "inference-logs", "e1")).Select(Path.GetFileName).Order());
        foreach (var file in Directory.GetFiles(Path.Combine(_kit.Root, "inference-logs"), "*", SearchOption.AllDirectories))
            Assert.Matches(SegmentName(), Path.GetFileName(file));
        // 7,500 rows per e1 day at 4,000 rows per segment: one full segment and the rest at shutdown.
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_kit.Root, "inference-logs", "e1", "date=2025-03-01")).Length);

        var e1 = _kit.Glob("inference-logs/e1/*/*.parquet");
        var summary = _kit.Query($"SELECT count(*), avg(latency_ms) FROM read_parquet('{e1}', hive_partitioning = true)").Single();
        Assert.Equal(15_000L, Convert.ToInt64(summary[0]));
        Assert.Equal(expectedLatency["e1"].Average(), (double)summary[1]!, 9);
        var e2 = _kit.Glob("inference-logs/e2/*/*.parquet");
        Assert.Equal(10_000L, Convert.ToInt64(_kit.Scalar($"SELECT count(*) FROM read_parquet('{e2}', hive_partitioning = true)")));
        var byDay = _kit.Query($"SELECT CAST(date AS VARCHAR), count(*) FROM read_parquet('{e1}', hive_partitioning = true) GROUP BY ALL ORDER BY 1");
        Assert.Equal([("2025-03-01", 7_500L), ("2025-03-02", 7_500L)], byDay.Select(r => ((string)r[0]!, Convert.ToInt64(r[1]))));
        // Every row sits in the partition of its own timestamp, and time mirrors timestamp.
        Assert.Equal(0L, Convert.ToInt64(_kit.Scalar(
            $"SELECT count(*) FROM read_parquet('{e1}', hive_partitioning = true) WHERE CAST(make_timestamp(timestamp * 1000) AS DATE) <> date OR epoch_ms(time) <> timestamp")));

        // Request 10 (e1, day 1) row by row: features, predictions and both JSON columns.
        var rows = _kit.Query(
            $"SELECT row, endpoint, route, model_version, shadow, in_features_0, in_features_1, in_features_2, out_label, out_proba_0, out_proba_1, inputs, outputs, latency_ms " +
            $"FROM read_parquet('{e1}', hive_partitioning = true) WHERE request_id = 'req-10' ORDER BY row");
        Assert.Equal(RowsPerRequest, rows.Count);
        for (var i = 0; i < RowsPerRequest; i++)
        {
            var row = rows[i];
            Assert.Equal(i, Convert.ToInt32(row[0]));
            Assert.Equal(("e1", "primary", "e1/1", false), ((string)row[1]!, (string)row[2]!, (string)row[3]!, (bool)row[4]!));
            Assert.Equal([Feature(10, i, 0), Feature(10, i, 1), Feature(10, i, 2)], new[] { (double)row[5]!, (double)row[6]!, (double)row[7]! });
            Assert.Equal((double)((10 + i) % 3), (double)row[8]!);
            Assert.Equal([0.25, 0.75], new[] { (double)row[9]!, (double)row[10]! });
            using var inputs = JsonDocument.Parse((string)row[11]!);
            Assert.Equal([Feature(10, i, 0), Feature(10, i, 1), Feature(10, i, 2)], inputs.RootElement.GetProperty("features").EnumerateArray().Select(e => e.GetDouble()));
            using var outputs = JsonDocument.Parse((string)row[12]!);
            Assert.Equal((10 + i) % 3, outputs.RootElement.GetProperty("label").GetInt64());
            Assert.Equal([0.25, 0.75], outputs.RootElement.GetProperty("proba").EnumerateArray().Select(e => e.GetDouble()));
            Assert.Equal(10 % 50 + 0.5, (double)row[13]!);
        }
        // DuckDB itself can query the JSON.
        Assert.Equal(Feature(10, 3, 1), Convert.ToDouble(_kit.Scalar(
            $"SELECT CAST(json_extract(inputs, '$.features[1]') AS DOUBLE) FROM read_parquet('{e1}', hive_partitioning = true) WHERE request_id = 'req-10' AND row = 3")));
    }

    [Fact]
    public async Task TryWrite_QueueFullWhileWriterIsStuck_ReturnsFalseCountsTheDropAndKeepsTheRest()
    {
        using var kit = new LogTestKit();
        var gated = new GatedArtifactStore(kit.Store);
        await using var services = kit.BuildLog(new InferenceLogOptions { Capacity = 10, SegmentRows = 1 }, gated);
        var log = services.GetRequiredService<ParquetInferenceLog>();
        var measured = new List<(long Value, string? Reason)>();
        using var listener = DroppedListener("full-queue", measured);
        await log.StartAsync(CancellationToken.None);

        Assert.True(log.TryWrite(SimpleRecord("full-queue", "first")));
        await gated.FirstWriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 10; i++)
            Assert.True(log.TryWrite(SimpleRecord("full-queue", $"queued-{i}")));
        Assert.False(log.TryWrite(SimpleRecord("full-queue", "dropped")));
        Assert.Equal(1, log.Dropped);
        Assert.Equal([(1L, "queue_full")], measured);

        gated.Open();
        await log.StopAsync(CancellationToken.None);
        var glob = kit.Glob("inference-logs/full-queue/*/*.parquet");
        var ids = kit.Query($"SELECT DISTINCT request_id FROM read_parquet('{glob}') ORDER BY request_id").Select(r => (string)r[0]!).ToList();
        Assert.Equal(11, ids.Count);
        Assert.DoesNotContain("dropped", ids);
        Assert.False(log.TryWrite(SimpleRecord("full-queue", "after-stop")));
        Assert.Equal(2, log.Dropped);
    }

    [Fact]
    public async Task StopAsync_RowsBelowSegmentSizeAndInterval_AreWrittenAsOneSegment()
    {
        await using var services = _kit.BuildLog(new InferenceLogOptions { FlushInterval = TimeSpan.FromHours(1) });
        var log = services.GetRequiredService<ParquetInferenceLog>();
        await log.StartAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
            Assert.True(log.TryWrite(SimpleRecord("pending", $"r{i}")));
        await log.StopAsync(CancellationToken.None);

        Assert.Equal(0, log.Dropped);
        var files = Directory.GetFiles(Path.Combine(_kit.Root, "inference-logs", "pending"), "*.parquet", SearchOption.AllDirectories);
        Assert.Single(files);
        Assert.Equal(6L, Convert.ToInt64(_kit.Scalar($"SELECT count(*) FROM read_parquet('{files[0].Replace('\\', '/')}')")));
    }

    [Fact]
    public async Task FlushInterval_SmallGroup_IsWrittenWhileRunning()
    {
        await using var services = _kit.BuildLog(new InferenceLogOptions { FlushInterval = TimeSpan.FromMilliseconds(50) });
        var log = services.GetRequiredService<ParquetInferenceLog>();
        var catalog = services.GetRequiredService<InferenceLogCatalog>();
        await log.StartAsync(CancellationToken.None);
        Assert.True(log.TryWrite(SimpleRecord("quiet", "only")));

        IReadOnlyList<InferenceLogSegment> segments = [];
        for (var attempt = 0; attempt < 600 && segments.Count == 0; attempt++)
        {
            await Task.Delay(50);
            segments = await catalog.ListSegmentsAsync("quiet", null, CancellationToken.None);
        }
        var segment = Assert.Single(segments);
        Assert.StartsWith("inference-logs/quiet/date=", segment.Path, StringComparison.Ordinal);
        Assert.True(segment.Size > 0);
        await log.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task WriteSegment_MixedShapesBytesAndScalars_KeepsJsonButOnlySharedFlatColumns()
    {
        await using var services = _kit.BuildLog(new InferenceLogOptions());
        var log = services.GetRequiredService<ParquetInferenceLog>();
        await log.StartAsync(CancellationToken.None);
        var at = UnixMilliseconds(Day1, 60);
        // x is [2,3] in one request and [1,4] in the other, so it gets no in_x_* columns; text is BYTES [N] in both
        // (one text column, in_text), and score is [N] in both.
        log.TryWrite(Record("mixed", "a", at, [Fp32("x", [2, 3], 1, 2, 3, 4, 5, 6), Bytes("text", [2], "héllo", "wörld")], [Fp64("score", [2], double.NaN, 0.5)]));
        log.TryWrite(Record("mixed", "b", at, [Fp32("x", [1, 4], 7, 8, 9, 10), Bytes("text", [1], "solo")], [Fp64("score", [1], double.PositiveInfinity)]));
        // A scalar input gives no batch dimension: the request is one row holding whole tensors, so no flat columns at all.
        log.TryWrite(Record("scalar", "c", at, [Int64("k", [], 42)], [Fp32("y", [2], 1, 2)]));
        await log.StopAsync(CancellationToken.None);

        var mixed = _kit.Glob("inference-logs/mixed/*/*.parquet");
        var columns = _kit.Columns(mixed);
        Assert.Contains("out_score", columns);
        Assert.Equal(["in_text"], columns.Where(c => c.StartsWith("in_", StringComparison.Ordinal)));
        var rows = _kit.Query($"SELECT request_id, row, inputs, outputs, out_score, in_text FROM read_parquet('{mixed}', hive_partitioning = true) ORDER BY request_id, row");
        Assert.Equal(["héllo", "wörld", "solo"], rows.Select(r => (string)r[5]!));
        Assert.Equal(["a/0", "a/1", "b/0"], rows.Select(r => $"{r[0]}/{r[1]}"));
        Assert.Equal("""{"x":[4,5,6],"text":"wörld"}""", rows[1][2]);
        Assert.Equal("""{"score":"NaN"}""", rows[0][3]);
        Assert.True(double.IsNaN((double)rows[0][4]!));
        Assert.Equal("""{"score":"Infinity"}""", rows[2][3]);

        var scalar = _kit.Glob("inference-logs/scalar/*/*.parquet");
        Assert.DoesNotContain(_kit.Columns(scalar), c => c.StartsWith("out_", StringComparison.Ordinal));
        var single = _kit.Query($"SELECT row, inputs, outputs FROM read_parquet('{scalar}')").Single();
        Assert.Equal((0, """{"k":42}""", """{"y":[1,2]}"""), (Convert.ToInt32(single[0]), (string)single[1]!, (string)single[2]!));
    }

    /// <summary>Request k: 5 rows of 3 features, a label and two probabilities; k mod 5 &lt; 3 goes to e1; days alternate every 5 requests.</summary>
    private static InferenceLogRecord BatchRecord(int k)
    {
        var features = new float[RowsPerRequest * 3];
        var labels = new long[RowsPerRequest];
        var proba = new float[RowsPerRequest * 2];
        for (var i = 0; i < RowsPerRequest; i++)
        {
            for (var j = 0; j < 3; j++)
                features[(i * 3) + j] = (float)Feature(k, i, j);
            labels[i] = (k + i) % 3;
            proba[i * 2] = 0.25f;
            proba[(i * 2) + 1] = 0.75f;
        }
        var day = k / 5 % 2 == 0 ? Day1 : Day2;
        return Record(k % 5 < 3 ? "e1" : "e2", $"req-{k}", UnixMilliseconds(day, k % 86_400),
            [Fp32("features", [RowsPerRequest, 3], features)],
            [Int64("label", [RowsPerRequest], labels), Fp32("proba", [RowsPerRequest, 2], proba)],
            latency: k % 50 + 0.5);
    }

    private static double Feature(int k, int row, int column) => (k * 100) + (row * 10) + column;

    private static InferenceLogRecord SimpleRecord(string endpoint, string requestId) =>
        Record(endpoint, requestId, UnixMilliseconds(Day1, 0), [Fp32("x", [2, 1], 1, 2)], [Fp32("y", [2], 3, 4)]);

    private static System.Diagnostics.Metrics.MeterListener DroppedListener(string endpoint, List<(long, string?)> measured)
    {
        var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ParquetInferenceLog.MeterName && instrument.Name == ParquetInferenceLog.DroppedCounterName)
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? tagEndpoint = null, reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "endpoint")
                    tagEndpoint = tag.Value as string;
                else if (tag.Key == "reason")
                    reason = tag.Value as string;
            }
            if (tagEndpoint == endpoint)
            {
                lock (measured)
                    measured.Add((value, reason));
            }
        });
        listener.Start();
        return listener;
    }

    [GeneratedRegex(@"^part-\d{8}T\d{9}Z-[0-9a-f]{8}\.parquet$")]
    private static partial Regex SegmentName();
}
