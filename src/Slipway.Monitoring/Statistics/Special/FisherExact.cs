namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// The two-sided p-value of Fisher's exact test on a 2×2 table, as SciPy 1.10's <c>fisher_exact</c> defines it: the
/// probability, given the margins, of a table no more likely than the observed one, where "no more likely" allows a
/// relative slack of 1e-14 so that mathematically equal probabilities tie despite rounding.
/// </summary>
internal static class FisherExact
{
    private const double RelativeSlack = 1e-14;

    public static double TwoSidedPValue(long a, long b, long c, long d)
    {
        if (a < 0 || b < 0 || c < 0 || d < 0)
            throw new ArgumentOutOfRangeException(nameof(a), "A contingency table holds non-negative counts.");
        // An empty row or column carries no information: SciPy returns 1.
        if (a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0)
            return 1.0;

        var firstRow = a + b;
        var secondRow = c + d;
        var firstColumn = a + c;
        var distribution = new HypergeometricDistribution(firstRow + secondRow, firstRow, firstColumn);
        var mode = distribution.Mode;
        var observed = distribution.Pmf(a);
        var atMode = distribution.Pmf(mode);
        if (Math.Abs(observed - atMode) / Math.Max(observed, atMode) <= RelativeSlack)
            return 1.0;

        var bound = observed * (1 + RelativeSlack);
        double p;
        if (a < mode)
        {
            var lower = distribution.Cdf(a);
            if (distribution.Pmf(firstColumn) > bound)
                return Math.Min(lower, 1.0);
            var last = Search(k => -distribution.Pmf(k), -bound, mode, firstColumn);
            p = lower + distribution.Sf(last);
        }
        else
        {
            var upper = distribution.Sf(a - 1);
            if (distribution.Pmf(0) > bound)
                return Math.Min(upper, 1.0);
            var last = Search(distribution.Pmf, bound, 0, mode);
            p = upper + distribution.Cdf(last);
        }
        return Math.Min(p, 1.0);
    }

    /// <summary>
    /// SciPy's binary search over a function ascending on [lo, hi]: the index i with f(i) ≤ target &lt; f(i + 1),
    /// i.e. the last table on the far side of the mode that is still more likely than the observed one.
    /// </summary>
    private static long Search(Func<long, double> f, double target, long lo, long hi)
    {
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            var value = f(mid);
            if (value < target)
                lo = mid + 1;
            else if (value > target)
                hi = mid - 1;
            else
                return mid;
        }
        return f(lo) <= target ? lo : lo - 1;
    }
}
