using Slipway.Monitoring.Statistics.Special;
using static Slipway.Monitoring.Tests.Statistics.Methods.Samples;

namespace Slipway.Monitoring.Tests.Statistics.Special;

// Expected values: SciPy 1.10.1's exact Mann–Whitney distribution (scipy.stats._mannwhitneyu._mwu_state.cdf) and
// np.polyfit from NumPy 1.24.2 on the Anderson–Darling table.
public sealed class RankDistributionTests
{
    [Theory]
    [InlineData(2L, 3, 3, 0.2)]
    [InlineData(10L, 5, 7, 0.13383838383838387)]
    [InlineData(3L, 8, 40, 1.855046683919343e-08)]
    [InlineData(100L, 8, 40, 0.050234462795467255)]
    public void MannWhitneyExactCdf_MatchesScipy(long k, int m, int n, double expected)
    {
        AssertRelative(expected, MannWhitneyExact.Cdf(k, m, n), 1e-12);
    }

    [Fact]
    public void MannWhitneyExactCdf_IsSymmetricInSampleSizes()
    {
        Assert.Equal(MannWhitneyExact.Cdf(17, 4, 9), MannWhitneyExact.Cdf(17, 9, 4));
        Assert.Equal(1.0, MannWhitneyExact.Cdf(36, 4, 9));
        Assert.Equal(0.0, MannWhitneyExact.Cdf(-1, 4, 9));
    }

    [Fact]
    public void QuadraticFit_AndersonTable_MatchesNumPyPolyfit()
    {
        double[] critical = [0.325, 1.226, 1.961, 2.718, 3.752, 4.592, 6.546];
        double[] b0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
        double[] b1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
        double[] b2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
        for (var i = 0; i < critical.Length; i++)
            critical[i] = b0[i] + b1[i] / Math.Sqrt(1) + b2[i] / 1;
        var logSignificance = Array.ConvertAll([0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001], Math.Log);

        var coefficients = QuadraticFit.Fit(critical, logSignificance);

        AssertRelative(0.01819809457411139, coefficients[0], 1e-12);
        AssertRelative(-1.008226564465251, coefficients[1], 1e-12);
        AssertRelative(-1.0777702798204876, coefficients[2], 1e-12);
    }

    [Fact]
    public void QuadraticFit_ExactParabola_IsRecovered()
    {
        double[] x = [-1, 0, 1, 2];
        var y = Array.ConvertAll(x, v => 3 * v * v - 2 * v + 0.5);

        var coefficients = QuadraticFit.Fit(x, y);

        Assert.Equal(3.0, coefficients[0], 1e-12);
        Assert.Equal(-2.0, coefficients[1], 1e-12);
        Assert.Equal(0.5, coefficients[2], 1e-12);
        Assert.Equal(0.5, QuadraticFit.Evaluate(coefficients, 0), 1e-12);
    }
}
