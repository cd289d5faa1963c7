using Slipway.Tracking.Domain;

namespace Slipway.Tracking.History;

/// <summary>
/// Thins a long metric history for drawing (M4 aggregation): the points are cut into equal runs and each run keeps
/// its first, lowest, highest and last point, in step order. A line through the kept points has the same outline as
/// one through all of them, so spikes and dips survive, and the global minimum and maximum are always kept.
/// Points stream through: with the count known up front only the current run is held, so memory stays at the budget
/// however long the history is.
/// </summary>
public static class MetricDownsampler
{
    /// <summary>The fewest points a caller may ask for: one bucket's four.</summary>
    public const int MinPoints = 4;

    /// <summary>
    /// Reads <paramref name="history"/> (in step order, as the store returns it), which the store counted as
    /// <paramref name="expectedCount"/> rows, and returns at most <paramref name="maxPoints"/> points; a history that
    /// fits is returned whole. Rows written after the count join the last bucket.
    /// </summary>
    public static async Task<SampledHistory> DownsampleAsync(IAsyncEnumerable<Metric> history, int expectedCount, int maxPoints, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, MinPoints);
        var sampler = new Sampler(Math.Max(expectedCount, 0), maxPoints);
        await foreach (var metric in history.WithCancellation(ct))
            sampler.Add(metric);
        return sampler.Finish();
    }

    /// <summary>The same over points already in memory.</summary>
    public static IReadOnlyList<Metric> Downsample(IReadOnlyList<Metric> points, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, MinPoints);
        var sampler = new Sampler(points.Count, maxPoints);
        foreach (var metric in points)
            sampler.Add(metric);
        return sampler.Finish().Points;
    }

    /// <summary>One pass over the points: keeps every point while the history fits, else the current bucket's four.</summary>
    private sealed class Sampler(int expectedCount, int maxPoints)
    {
        private readonly bool _keepAll = expectedCount <= maxPoints;
        private readonly int _buckets = Math.Max(1, maxPoints / 4);
        private readonly List<Metric> _kept = new(Math.Min(expectedCount, maxPoints));
        private int _seen;
        private int _bucket;
        private long _bucketEnd = expectedCount <= maxPoints ? long.MaxValue : (long)expectedCount / Math.Max(1, maxPoints / 4);
        private (int Index, Metric Point) _first, _low, _high, _last;
        private bool _bucketHasPoints, _bucketHasValue;

        public void Add(Metric metric)
        {
            var index = _seen++;
            if (_keepAll)
            {
                _kept.Add(metric);
                return;
            }
            // Integer bounds spread the remainder over the buckets, so every point lands in exactly one; the last
            // bucket takes anything beyond the expected count.
            while (index >= _bucketEnd && _bucket < _buckets - 1)
            {
                Flush();
                _bucket++;
                _bucketEnd = _bucket == _buckets - 1 ? long.MaxValue : (long)expectedCount * (_bucket + 1) / _buckets;
            }
            if (!_bucketHasPoints)
            {
                _first = _low = _high = (index, metric);
                _bucketHasPoints = true;
            }
            if (!double.IsNaN(metric.Value))
            {
                if (!_bucketHasValue || metric.Value < _low.Point.Value)
                    _low = (index, metric);
                if (!_bucketHasValue || metric.Value > _high.Point.Value)
                    _high = (index, metric);
                _bucketHasValue = true;
            }
            _last = (index, metric);
        }

        public SampledHistory Finish()
        {
            if (!_keepAll)
                Flush();
            return new SampledHistory(_kept, _seen);
        }

        private void Flush()
        {
            if (!_bucketHasPoints)
                return;
            Span<(int Index, Metric Point)> chosen = [_first, _low, _high, _last];
            chosen.Sort((a, b) => a.Index.CompareTo(b.Index));
            var previous = -1;
            foreach (var (index, point) in chosen)
            {
                if (index == previous)
                    continue;
                _kept.Add(point);
                previous = index;
            }
            _bucketHasPoints = _bucketHasValue = false;
        }
    }
}

/// <summary>A drawable history: the kept points and how many the full history has.</summary>
public sealed record SampledHistory(IReadOnlyList<Metric> Points, int TotalCount)
{
    /// <summary>True when points were dropped.</summary>
    public bool IsSampled => Points.Count < TotalCount;
}
