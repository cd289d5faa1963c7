using Slipway.Monitoring.Statistics;
using Slipway.Monitoring.Statistics.Methods;
using static Slipway.Monitoring.Tests.Statistics.Methods.Samples;

namespace Slipway.Monitoring.Tests.Statistics.Methods;

// Expected p-values are scipy.stats.ks_2samp(reference, current) from SciPy 1.10.1, the version Evidently 0.7.21's
// conformance values were produced with.
public sealed class KsMethodTests
{
    private readonly KsMethod _method = new();

    [Fact]
    public void Score_EqualSizes_UsesExactSquareFormula()
    {
        var score = _method.Score(Numbers(EvidentlyReference, EvidentlyCurrent));

        AssertRelative(0.08702408702408701, score.Value);
        Assert.Equal(0.625, score.Statistic);
    }

    [Fact]
    public void Score_UnequalSmallSizes_UsesExactLatticeCount()
    {
        var score = _method.Score(Numbers(Sequence(12, 7, 13, 4.0), Sequence(8, 5, 11, 4.0, 1.0)));

        AssertRelative(0.4477732793522267, score.Value);
    }

    [Fact]
    public void Score_MoreThanTenThousandValues_UsesAsymptoticDistribution()
    {
        var reference = Sequence(12000, 7919, 10007, 1000.0);
        var current = Sequence(11000, 104729, 10009, 1000.0, 0.05);

        var score = _method.Score(Numbers(reference, current));

        AssertRelative(0.993488744153894, score.Value);
        AssertRelative(0.005590909090909091, score.Statistic!.Value);
    }

    [Fact]
    public void Score_IdenticalSamples_IsOne()
    {
        var values = Sequence(50, 3, 17, 2.0);

        Assert.Equal(1.0, _method.Score(Numbers(values, values)).Value);
    }

    [Fact]
    public void Score_DisjointSamples_IsTwoPathsOutOfAll()
    {
        var score = _method.Score(Numbers(Sequence(40, 1, 1000, 1.0), Sequence(40, 1, 1000, 1.0, 100.0)));

        // Only the two paths along the edges of the 40×40 lattice reach D = 1: p = 2 / C(80, 40).
        Assert.Equal(1.0, score.Statistic);
        AssertRelative(2 / 107507208733336176461620.0, score.Value, 1e-13);
    }

    [Fact]
    public void Score_EmptyCurrent_Throws()
    {
        Assert.Throws<DriftMethodException>(() => _method.Score(Numbers([1.0, 2.0], [])));
    }

    [Fact]
    public void Rule_IsAtMostThreshold()
    {
        Assert.Equal(DriftRule.PValueAtMost, _method.Rule);
        Assert.True(_method.Rule.IsDrift(0.05, _method.DefaultThreshold));
    }
}
