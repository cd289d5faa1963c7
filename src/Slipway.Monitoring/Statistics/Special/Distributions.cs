using MathNet.Numerics;

namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// The tail functions of the normal and chi-squared distributions, with SciPy's conventions at the edges
/// (infinite statistics, invalid degrees of freedom). The formulas follow Cephes, which SciPy wraps, so that a
/// p-value written as <c>1 − cdf</c> rounds the way SciPy's does.
/// </summary>
internal static class Distributions
{
    private const double Sqrt1Over2 = 0.70710678118654752440;

    /// <summary>The standard normal CDF, <c>scipy.special.ndtr</c>.</summary>
    public static double NormalCdf(double a)
    {
        if (double.IsNaN(a))
            return double.NaN;
        var x = a * Sqrt1Over2;
        var z = Math.Abs(x);
        if (z < Sqrt1Over2)
            return 0.5 + 0.5 * SpecialFunctions.Erf(x);
        var y = 0.5 * SpecialFunctions.Erfc(z);
        return x > 0 ? 1.0 - y : y;
    }

    /// <summary>The standard normal survival function, <c>norm.sf(x) = ndtr(−x)</c>.</summary>
    public static double NormalSf(double x) => NormalCdf(-x);

    /// <summary><c>chi2.sf(x, df)</c>: NaN for df ≤ 0 (a single category), 0 for an infinite statistic.</summary>
    public static double ChiSquaredSf(double x, double degreesOfFreedom)
    {
        if (double.IsNaN(x) || double.IsNaN(degreesOfFreedom) || degreesOfFreedom <= 0)
            return double.NaN;
        if (x <= 0)
            return 1.0;
        if (double.IsPositiveInfinity(x))
            return 0.0;
        return SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2, x / 2);
    }
}
