using Slipway.Monitoring.Statistics;
using Slipway.Monitoring.Statistics.Methods;
using static Slipway.Monitoring.Tests.Statistics.Methods.Samples;

namespace Slipway.Monitoring.Tests.Statistics.Methods;

// Expected values come from Evidently 0.7.21's vendored _cvm_2samp (run on SciPy 1.10.1 / NumPy 1.24.2), which differs
// from SciPy's own cramervonmises_2samp in the exact path (see Score_FiveVersusTwenty_KeepsEvidentlysFloat16Table).
public sealed class CramerVonMisesMethodTests
{
    private readonly CramerVonMisesMethod _method = new();

    [Fact]
    public void Score_EightVersusEight_UsesExactDistribution()
    {
        AssertRelative(0.06433566433566433, _method.Score(Numbers(EvidentlyReference, EvidentlyCurrent)).Value);
    }

    [Fact]
    public void Score_SmallSamplesWithTies_UsesExactDistribution()
    {
        AssertRelative(0.1923473842978487, _method.Score(Numbers(Sequence(12, 7, 13, 4.0), Sequence(8, 5, 11, 4.0, 1.0))).Value);
    }

    [Fact]
    public void Score_FiveVersusTwenty_KeepsEvidentlysFloat16Table()
    {
        // U = 7050 for m = 5, n = 20: Evidently sizes its frequency table with np.min_scalar_type(53130.0), i.e.
        // float16, and gets 0.391793713532844 where exact counting (SciPy) gives 0.3917560700169396.
        Assert.Equal(0.391793713532844, Slipway.Monitoring.Statistics.Special.CramerVonMisesExact.PValue(7050.0, 5, 20));
    }

    [Fact]
    public void Score_LargeSamples_UsesLimitingDistribution()
    {
        var reference = Sequence(12000, 7919, 10007, 1000.0);
        var current = Sequence(11000, 104729, 10009, 1000.0, 0.05);

        AssertRelative(0.3921319171045663, _method.Score(Numbers(reference, current)).Value, 1e-10);
    }

    [Fact]
    public void Score_IdenticalLargeSamples_IsOne()
    {
        // The normalised statistic falls below 0.003, where Evidently returns 1 without summing the series.
        var values = Sequence(200, 7, 211, 3.0);

        Assert.Equal(1.0, _method.Score(Numbers(values, values)).Value);
    }

    [Fact]
    public void Score_DisjointLargeSamples_IsNearZero()
    {
        var p = _method.Score(Numbers(Sequence(100, 7, 101, 1.0), Sequence(100, 7, 101, 1.0, 500.0))).Value;

        Assert.InRange(p, 0.0, 1e-6);
    }

    [Fact]
    public void Score_SingleReferenceValue_Throws()
    {
        Assert.Throws<DriftMethodException>(() => _method.Score(Numbers([1.0], [1.0, 2.0, 3.0])));
    }

    [Fact]
    public void Rule_IsAtMostThreshold()
    {
        Assert.Equal(DriftRule.PValueAtMost, _method.Rule);
        Assert.Equal(0.1, _method.DefaultThreshold);
    }
}
