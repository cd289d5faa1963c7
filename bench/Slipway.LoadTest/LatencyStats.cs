using System.Diagnostics;

namespace Slipway.LoadTest;

/// <summary>Percentiles (nearest rank) over recorded <see cref="Stopwatch"/> durations.</summary>
internal sealed class LatencyStats
{
    private readonly double[] _sortedMs;

    public LatencyStats(IEnumerable<long> stopwatchTicks)
    {
        _sortedMs = stopwatchTicks.Select(t => t * 1000.0 / Stopwatch.Frequency).ToArray();
        Array.Sort(_sortedMs);
    }

    public int Count => _sortedMs.Length;

    public double P50 => Percentile(50);

    public double P90 => Percentile(90);

    public double P99 => Percentile(99);

    public double Max => _sortedMs.Length == 0 ? double.NaN : _sortedMs[^1];

    public double Mean => _sortedMs.Length == 0 ? double.NaN : _sortedMs.Average();

    public double Percentile(double p)
    {
        if (_sortedMs.Length == 0)
            return double.NaN;
        var rank = (int)Math.Ceiling(p / 100.0 * _sortedMs.Length);
        return _sortedMs[Math.Clamp(rank - 1, 0, _sortedMs.Length - 1)];
    }

    public string Summary() => $"p50 {Ms(P50)} / p90 {Ms(P90)} / p99 {Ms(P99)} / max {Ms(Max)} (n={Count})";

    public static string Ms(double value) => value switch
    {
        < 10 => $"{value:0.00} ms",
        < 100 => $"{value:0.0} ms",
        _ => $"{value:0} ms",
    };
}

/// <summary>Per-worker recording of request durations; one array per worker, so no locking on the hot path.</summary>
internal sealed class LatencyRecorder(int capacity)
{
    private readonly long[] _ticks = new long[capacity];

    public int Count { get; private set; }

    public IEnumerable<long> Ticks => _ticks.Take(Count);

    public void Record(long startTimestamp)
    {
        if (Count < _ticks.Length)
            _ticks[Count++] = Stopwatch.GetTimestamp() - startTimestamp;
    }
}
