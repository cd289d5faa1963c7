using Slipway.Monitoring.Statistics.Special;
using static Slipway.Monitoring.Tests.Statistics.Methods.Samples;

namespace Slipway.Monitoring.Tests.Statistics.Special;

// Expected values: scipy.special.stdtr and scipy.stats.chi2.sf from SciPy 1.10.1, np.sum / np.mean from NumPy 1.24.2.
public sealed class StudentTAndSumTests
{
    [Theory]
    [InlineData(1e6, -1.5, 0.0668073591183964, 1e-9)] // MathNet's incomplete beta is off by 1e-8 here
    [InlineData(998.0, -2.5, 0.006289443844454646, 1e-12)] // tail side of the continued fraction
    [InlineData(5.0, 1.0, 0.8183912661754387, 1e-12)] // central side
    [InlineData(3.0, -10.0, 0.0010641995292070747, 1e-12)]
    public void StudentTCdf_MatchesScipyStdtr(double degreesOfFreedom, double t, double expected, double rtol)
    {
        AssertRelative(expected, StudentT.Cdf(degreesOfFreedom, t), rtol);
    }

    [Fact]
    public void StudentTCdf_EdgeValues_FollowScipy()
    {
        Assert.Equal(0.5, StudentT.Cdf(10, 0));
        Assert.Equal(0.0, StudentT.Cdf(10, double.NegativeInfinity));
        Assert.True(double.IsNaN(StudentT.Cdf(0, -1)));
        Assert.True(double.IsNaN(StudentT.Cdf(10, double.NaN)));
    }

    [Fact]
    public void ChiSquaredSf_MatchesScipy()
    {
        AssertRelative(0.6233876277495822, Distributions.ChiSquaredSf(3.5, 5));
        Assert.Equal(0.0, Distributions.ChiSquaredSf(double.PositiveInfinity, 3));
        Assert.True(double.IsNaN(Distributions.ChiSquaredSf(1.0, 0)));
    }

    [Fact]
    public void NormalCdf_IsSymmetricAndSaturates()
    {
        Assert.Equal(0.5, Distributions.NormalCdf(0));
        Assert.Equal(1.0, Distributions.NormalCdf(9));
        AssertRelative(1.1285884059538324e-19, Distributions.NormalSf(9), 1e-13);
    }

    [Fact]
    public void Sum_ManyTenths_MatchesNumPyNotNaiveLoop()
    {
        var values = Enumerable.Repeat(0.1, 10000).ToArray();
        var naive = 0.0;
        foreach (var value in values)
            naive += value;

        Assert.Equal(1000.0000000000002, PairwiseSum.Sum(values));
        Assert.NotEqual(naive, PairwiseSum.Sum(values));
    }

    [Fact]
    public void Mean_ThreeHundredTenths_MatchesNumPy()
    {
        Assert.Equal(0.09999999999999999, PairwiseSum.Mean(Enumerable.Repeat(0.1, 300).ToArray()));
    }

    [Fact]
    public void Variance_OneValue_IsNaN()
    {
        Assert.True(double.IsNaN(PairwiseSum.Variance([4.0], 4.0, ddof: 1)));
    }
}
