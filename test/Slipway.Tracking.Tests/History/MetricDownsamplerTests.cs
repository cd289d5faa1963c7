using Slipway.Tracking.Domain;
using Slipway.Tracking.History;

namespace Slipway.Tracking.Tests.History;

public sealed class MetricDownsamplerTests
{
    private static List<Metric> Series(int count, Func<int, double> value) =>
        Enumerable.Range(0, count).Select(i => new Metric("loss", value(i), 1_000 + i, i)).ToList();

    [Fact]
    public void Downsample_HistoryThatFits_ReturnsEveryPoint()
    {
        var points = Series(100, i => i * 0.5);

        var kept = MetricDownsampler.Downsample(points, 100);

        Assert.Equal(points, kept);
    }

    [Fact]
    public void Downsample_LongHistory_StaysWithinTheBudgetInStepOrder()
    {
        var points = Series(100_000, i => Math.Sin(i / 500.0));

        var kept = MetricDownsampler.Downsample(points, 1_000);

        Assert.InRange(kept.Count, 250, 1_000);
        Assert.Equal(0, kept[0].Step);
        Assert.Equal(99_999, kept[^1].Step);
        Assert.True(kept.Zip(kept.Skip(1)).All(pair => pair.First.Step < pair.Second.Step), "steps must increase");
    }

    [Fact]
    public void Downsample_SingleSpikeAndDip_BothSurvive()
    {
        var points = Series(50_000, i => i switch { 12_345 => 1e6, 40_001 => -1e6, _ => 1.0 });

        var kept = MetricDownsampler.Downsample(points, 200);

        Assert.Contains(kept, m => m.Step == 12_345 && m.Value == 1e6);
        Assert.Contains(kept, m => m.Step == 40_001 && m.Value == -1e6);
    }

    [Fact]
    public void Downsample_EveryBucketKeepsItsExtremes()
    {
        var random = new Random(7);
        var points = Series(10_007, _ => random.NextDouble());
        const int budget = 400;

        var kept = MetricDownsampler.Downsample(points, budget).ToHashSet();

        var buckets = budget / 4;
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            var start = points.Count * bucket / buckets;
            var end = points.Count * (bucket + 1) / buckets;
            var slice = points.Skip(start).Take(end - start).ToList();
            Assert.Contains(slice.MinBy(m => m.Value), kept);
            Assert.Contains(slice.MaxBy(m => m.Value), kept);
        }
    }

    [Fact]
    public void Downsample_NaNValues_DoNotHideTheRealExtremes()
    {
        var points = Series(1_000, i => i % 3 == 0 ? double.NaN : i);

        var kept = MetricDownsampler.Downsample(points, 8);

        Assert.Contains(kept, m => m.Value == 998);
        Assert.Contains(kept, m => m.Value == 1);
    }

    [Fact]
    public async Task DownsampleAsync_ReportsTheFullCount()
    {
        var sampled = await MetricDownsampler.DownsampleAsync(Series(5_000, i => i).ToAsyncEnumerable(), 5_000, 100, CancellationToken.None);

        Assert.Equal(5_000, sampled.TotalCount);
        Assert.True(sampled.IsSampled);
        Assert.InRange(sampled.Points.Count, 25, 100);
    }

    [Fact]
    public async Task DownsampleAsync_RowsWrittenAfterTheCount_JoinTheLastBucketWithinTheBudget()
    {
        // The store counted 1,000 rows, then 500 more were logged before the read reached them.
        var points = Series(1_500, i => i == 1_400 ? 99.0 : 0.0);

        var sampled = await MetricDownsampler.DownsampleAsync(points.ToAsyncEnumerable(), 1_000, 40, CancellationToken.None);

        Assert.Equal(1_500, sampled.TotalCount);
        Assert.InRange(sampled.Points.Count, 10, 40);
        Assert.Contains(sampled.Points, m => m.Step == 1_400);
        Assert.Equal(1_499, sampled.Points[^1].Step);
    }

    [Fact]
    public async Task DownsampleAsync_FewerRowsThanCounted_StillKeepsTheExtremes()
    {
        // Rows deleted between the count and the read (a run deleted meanwhile) leave buckets empty, not broken.
        var points = Series(300, i => i == 150 ? -5.0 : i);

        var sampled = await MetricDownsampler.DownsampleAsync(points.ToAsyncEnumerable(), 10_000, 100, CancellationToken.None);

        Assert.Equal(300, sampled.TotalCount);
        Assert.Contains(sampled.Points, m => m.Value == -5.0);
        Assert.Contains(sampled.Points, m => m.Value == 299);
    }

    [Fact]
    public void Downsample_BudgetBelowOneBucket_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MetricDownsampler.Downsample(Series(10, i => i), 3));
}
