using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Statistics;

public sealed class TvdMethodTests
{
    private static DriftSample Sample(int n, Func<int, string> reference, Func<int, string> current) => DriftSample.FromStrings(
        ColumnType.Categorical, Enumerable.Range(0, n).Select(reference).ToArray(), Enumerable.Range(0, n).Select(current).ToArray());

    [Fact]
    public void Score_Statistic_IsHalfTheL1DistanceOfTheShares()
    {
        var sample = DriftSample.FromStrings(ColumnType.Categorical, ["a", "a", "b", "b"], ["a", "a", "a", "b"]);
        Assert.Equal(0.25, DriftMethods.Tvd.Score(sample).Statistic);
    }

    [Fact]
    public void Score_SameDistribution_IsNotDrift_AndRepeatsExactly()
    {
        var sample = Sample(2000, i => $"c{i % 5}", i => $"c{(i + 2) % 5}");
        var first = DriftMethods.Tvd.Score(sample);
        Assert.Equal(0, first.Statistic);
        Assert.Equal(1, first.Value);
        Assert.Equal(first, DriftMethods.Tvd.Score(sample));
        Assert.False(DriftMethods.Tvd.IsDeterministic);
    }

    [Fact]
    public void Score_ClearShift_HasPValueZero()
    {
        var sample = Sample(1000, i => i % 2 == 0 ? "x" : "y", i => i % 5 == 0 ? "x" : "y");
        Assert.Equal(0, DriftMethods.Tvd.Score(sample).Value);
    }

    [Fact]
    public void Score_SmallNoise_GivesAnIntermediatePValue()
    {
        // 52/48 against 48/52 in 200 rows each is well within chance.
        var sample = Sample(200, i => i < 104 ? "x" : "y", i => i < 96 ? "x" : "y");
        var p = DriftMethods.Tvd.Score(sample).Value;
        Assert.InRange(p, 0.2, 0.8);
    }

    [Fact]
    public void Score_MillionsOfRows_UseCountsNotShuffles()
    {
        var sample = DriftSample.FromNumbers(ColumnType.Categorical,
            Enumerable.Range(0, 1_000_000).Select(i => (double)(i % 4)).ToArray(),
            Enumerable.Range(0, 1_000_000).Select(i => (double)(i % 4)).ToArray());
        Assert.Equal(1, DriftMethods.Tvd.Score(sample).Value);
    }
}
