using Slipway.Monitoring.Statistics;
using Slipway.Monitoring.Statistics.Methods;
using static Slipway.Monitoring.Tests.Statistics.Methods.Samples;

namespace Slipway.Monitoring.Tests.Statistics.Methods;

// mannw and anderson. Goldens from Evidently's tests/stattests/test_stattests.py (with its tolerance); the exact values
// are scipy.stats.mannwhitneyu(reference, current, alternative="less") and anderson_ksamp from SciPy 1.10.1.
public sealed class RankTestMethodTests
{
    private static readonly double[] Faces = [1, 2, 3, 4, 5, 6];

    [Fact]
    public void MannWhitney_EvidentlyGolden_UsesTieCorrectedNormal()
    {
        var reference = Repeat(Faces, [16, 18, 16, 14, 12, 12]);
        var current = Repeat(Faces, [16, 16, 16, 16, 16, 8]);

        var p = new MannWhitneyMethod().Score(Numbers(reference, current)).Value;

        Assert.Equal(0.481, p, 1e-2);
        AssertRelative(0.4814330305987495, p);
    }

    [Fact]
    public void MannWhitney_EightValuesWithoutTies_UsesExactDistribution()
    {
        AssertRelative(0.9675213675213674, new MannWhitneyMethod().Score(Numbers(EvidentlyReference, EvidentlyCurrent)).Value);
    }

    [Fact]
    public void MannWhitney_IsOneSided()
    {
        // The current sample sits above the reference, which the "less" alternative reads as evidence of drift;
        // swapping the sides gives the complementary tail.
        var low = Sequence(30, 7, 31, 10.0);
        var high = Sequence(30, 7, 31, 10.0, 1.0);

        Assert.True(new MannWhitneyMethod().Score(Numbers(low, high)).Value < 0.01);
        Assert.True(new MannWhitneyMethod().Score(Numbers(high, low)).Value > 0.99);
    }

    [Fact]
    public void MannWhitney_LargeSamples_Matches()
    {
        var reference = Sequence(12000, 7919, 10007, 1000.0);
        var current = Sequence(11000, 104729, 10009, 1000.0, 0.05);

        AssertRelative(0.09073148192800212, new MannWhitneyMethod().Score(Numbers(reference, current)).Value);
    }

    [Fact]
    public void Anderson_EvidentlyGolden_Matches()
    {
        var p = new AndersonMethod().Score(Numbers(EvidentlyReference, EvidentlyCurrent)).Value;

        Assert.Equal(0.0635, p, 1e-3);
        AssertRelative(0.06351467728760828, p);
    }

    [Fact]
    public void Anderson_LargeSamplesWithTies_Matches()
    {
        var reference = Sequence(12000, 7919, 10007, 1000.0);
        var current = Sequence(11000, 104729, 10009, 1000.0, 0.05);

        AssertRelative(0.10082762297871135, new AndersonMethod().Score(Numbers(reference, current)).Value);
    }

    [Fact]
    public void Anderson_IdenticalSamples_IsCappedAtQuarter()
    {
        var values = Sequence(40, 3, 41, 2.0);

        Assert.Equal(0.25, new AndersonMethod().Score(Numbers(values, values)).Value);
    }

    [Fact]
    public void Anderson_DisjointSamples_IsFlooredAtOneThousandth()
    {
        Assert.Equal(0.001, new AndersonMethod().Score(Numbers(Sequence(40, 3, 41, 1.0), Sequence(40, 3, 41, 1.0, 100.0))).Value);
    }

    [Fact]
    public void Anderson_OneDistinctValue_Throws()
    {
        Assert.Throws<DriftMethodException>(() => new AndersonMethod().Score(Numbers([2.0, 2.0, 2.0], [2.0, 2.0])));
    }
}
