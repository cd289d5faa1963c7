using Slipway.Monitoring.Statistics;
using Slipway.Monitoring.Statistics.Methods;
using static Slipway.Monitoring.Tests.Statistics.Methods.Samples;

namespace Slipway.Monitoring.Tests.Statistics.Methods;

// Golden from Evidently's test_t_test (tolerance 1e-3); exact values are scipy.stats.ttest_ind from SciPy 1.10.1.
public sealed class TTestMethodTests
{
    private readonly TTestMethod _method = new();

    [Fact]
    public void Score_EvidentlyGolden_Matches()
    {
        var p = _method.Score(Numbers(EvidentlyReference, EvidentlyCurrent)).Value;

        Assert.Equal(0.084, p, 1e-3);
        AssertRelative(0.08410572024397052, p);
    }

    [Fact]
    public void Score_LargeSamples_Matches()
    {
        var reference = Sequence(12000, 7919, 10007, 1000.0);
        var current = Sequence(11000, 104729, 10009, 1000.0, 0.05);

        AssertRelative(0.18018167320493017, _method.Score(Numbers(reference, current)).Value);
    }

    [Fact]
    public void Score_SameConstantColumns_IsNaN()
    {
        // Both variances are exactly 0 and the means equal, so t = 0/0, as in Evidently.
        var constant = Enumerable.Repeat(3.5, 300).ToArray();

        Assert.True(double.IsNaN(_method.Score(Numbers(constant, constant)).Value));
    }

    [Fact]
    public void Score_DifferentConstantColumns_IsZero()
    {
        var score = _method.Score(Numbers(Enumerable.Repeat(1.0, 300).ToArray(), Enumerable.Repeat(2.0, 300).ToArray()));

        Assert.Equal(0.0, score.Value);
        Assert.Equal(double.NegativeInfinity, score.Statistic);
    }

    [Fact]
    public void Score_EmptyReference_Throws()
    {
        Assert.Throws<DriftMethodException>(() => _method.Score(Numbers([], [1.0, 2.0])));
    }

    [Fact]
    public void Rule_IsBelowThreshold()
    {
        Assert.Equal(DriftRule.PValueBelow, _method.Rule);
        Assert.False(_method.Rule.IsDrift(0.05, _method.DefaultThreshold));
    }
}
