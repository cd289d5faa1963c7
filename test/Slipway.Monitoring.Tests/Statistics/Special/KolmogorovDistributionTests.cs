using Slipway.Monitoring.Statistics.Special;
using static Slipway.Monitoring.Tests.Statistics.Methods.Samples;

namespace Slipway.Monitoring.Tests.Statistics.Special;

// Expected values: scipy.stats.kstwo.sf(d, n) and scipy.special.smirnov(n, d) from SciPy 1.10.1. Each row lands in a
// different region of SciPy's algorithm choice.
public sealed class KolmogorovDistributionTests
{
    [Theory]
    [InlineData(25000L, 0.012, 0.0014810269244871926)] // Pelz–Good, 1 − CDF
    [InlineData(25000L, 0.02, 4.061196710119753e-09)] // n·d² ≥ 2.2: twice the Smirnov tail
    [InlineData(1000L, 0.012, 0.9984464668620097)] // n·d^1.5 ≤ 1.4: Durbin's matrix
    [InlineData(100L, 0.05, 0.9532159710635725)] // small n, n·d² ≤ 0.754693: Durbin
    [InlineData(100L, 0.15, 0.019839242125643017)] // small n, n·d² ≤ 4 (SciPy: Pomeranz)
    [InlineData(100L, 0.3, 1.7719869892662917e-08)] // small n, n·d² > 4: Smirnov
    [InlineData(50L, 0.99, 2.0000000000000889e-100)] // n·d ≥ n − 1: Ruben–Gambino 2(1 − d)^n
    public void Sf_MatchesScipyKstwo(long n, double d, double expected)
    {
        AssertRelative(expected, KolmogorovDistribution.Sf(n, d), 1e-10);
    }

    [Theory]
    [InlineData(1000L, 0.0009)] // n·d ≤ 1: P(D ≥ d) is 1 up to n!/n^n·(2nd − 1)^n
    [InlineData(1000L, 0.0004)] // n·d ≤ 1/2: exactly 1
    public void Sf_BelowOneOverN_IsOne(long n, double d)
    {
        Assert.Equal(1.0, KolmogorovDistribution.Sf(n, d));
    }

    [Fact]
    public void Sf_FarTail_UnderflowsToZero()
    {
        Assert.Equal(0.0, KolmogorovDistribution.Sf(1000, 0.6));
    }

    [Fact]
    public void Sf_NonPositiveSize_IsNaN()
    {
        Assert.True(double.IsNaN(KolmogorovDistribution.Sf(0, 0.1)));
    }

    [Theory]
    [InlineData(25000L, 0.01, 0.006692729318264387)]
    [InlineData(5L, 0.3, 0.34282)]
    [InlineData(2000000L, 0.001, 0.018303432023617325)] // above 10^6 Cephes switches to exp(−(6nx + 1)²/18n)
    public void SmirnovSf_MatchesScipy(long n, double x, double expected)
    {
        AssertRelative(expected, Smirnov.Sf(n, x), 1e-10);
    }

    [Fact]
    public void OutsideSquare_OneStep_IsTwoOverBinomial()
    {
        // With n = 1 and h = 1 both paths leave the band: probability 1.
        Assert.Equal(1.0, KolmogorovSmirnovExact.OutsideSquare(1, 1));
    }

    [Fact]
    public void TwoSidedPValue_SnapsStatisticToLattice()
    {
        var p = KolmogorovSmirnovExact.TwoSidedPValue(12, 8, 0.37500000000000006, out var roundedD);

        Assert.Equal(0.375, roundedD);
        Assert.NotNull(p);
    }
}
