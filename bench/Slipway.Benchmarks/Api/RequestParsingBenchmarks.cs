using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Slipway.Tracking.Api;
using Slipway.Tracking.Domain;

namespace Slipway.Benchmarks.Api;

/// <summary>Parsing a runs/log-batch body of 1000 metrics through <see cref="RequestArgs"/>, as the endpoint reads it.</summary>
[MemoryDiagnoser]
public class RequestParsingBenchmarks
{
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("run_id", "0123456789abcdef0123456789abcdef");
            w.WriteStartArray("metrics");
            for (var i = 0; i < 1000; i++)
            {
                w.WriteStartObject();
                w.WriteString("key", "m" + (i % 10));
                w.WriteNumber("value", Math.Sin(i));
                w.WriteNumber("timestamp", 1_700_000_000_000 + i);
                w.WriteNumber("step", i / 10);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        _body = stream.ToArray();
    }

    [Benchmark(Description = "parse + read 1000 metrics")]
    public int ParseLogBatch()
    {
        using var args = RequestArgs.FromJson(JsonDocument.Parse(_body));
        var metrics = new List<Metric>(1000);
        _ = args.RunId();
        if (args.ObjectList("metrics") is { } items)
        {
            foreach (var item in items)
            {
                metrics.Add(new Metric(
                    item.GetProperty("key").GetString()!,
                    RequestArgs.ReadDouble("metrics.value", item.GetProperty("value")),
                    item.GetProperty("timestamp").GetInt64(),
                    item.GetProperty("step").GetInt64()));
            }
        }
        return metrics.Count;
    }
}
