using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Slipway.Tracking.Api;
using Slipway.Tracking.Domain;

namespace Slipway.Benchmarks.Api;

/// <summary>
/// Writing the two big answers with <see cref="MlflowJson"/>: a runs/search page of 500 runs (5 metrics,
/// 5 params, 6 tags each) and a metrics/get-history of 100,000 points.
/// </summary>
[MemoryDiagnoser]
public class JsonWritingBenchmarks
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024 * 1024);
    private List<Run> _runs = [];
    private List<Metric> _history = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _runs = Enumerable.Range(0, 500).Select(i =>
        {
            var id = Guid.NewGuid().ToString("N");
            return new Run(
                new RunInfo(id, "1", $"run-{i}", "user", RunStatus.Running, 1_700_000_000_000 + i, null, $"mlflow-artifacts:/1/{id}/artifacts", LifecycleStage.Active),
                Enumerable.Range(1, 5).Select(m => new Metric($"m{m}", random.NextDouble(), 1_700_000_000_000 + i, 0)).ToList(),
                Enumerable.Range(1, 5).Select(p => new Param($"p{p}", $"value-{p}-{i % 97}")).ToList(),
                Enumerable.Range(1, 5).Select(t => new Tag($"t{t}", $"value-{t}-{i % 97}")).Append(new Tag("mlflow.runName", $"run-{i}")).ToList(),
                []);
        }).ToList();
        _history = Enumerable.Range(0, 100_000).Select(step => new Metric("loss", 1.0 / (step + 1), 1_700_000_000_000 + step, step)).ToList();
    }

    [Benchmark(Description = "runs/search page: 500 runs")]
    public int SearchPage()
    {
        _buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(_buffer, Options))
        {
            w.WriteStartObject();
            w.WriteStartArray("runs");
            foreach (var run in _runs)
                MlflowJson.WriteRun(w, run);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "get-history: 100,000 points")]
    public int History()
    {
        _buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(_buffer, Options))
        {
            w.WriteStartObject();
            w.WriteStartArray("metrics");
            foreach (var metric in _history)
                MlflowJson.WriteMetric(w, metric);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return _buffer.WrittenCount;
    }
}
