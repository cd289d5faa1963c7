namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// The exact null distribution of the Mann–Whitney U statistic for samples of sizes m and n without ties. The
/// number of arrangements with U = k is the coefficient of q^k in the Gaussian binomial [m + n choose m]_q =
/// Π_{i=1..s} (1 − q^(L+i)) / (1 − q^i), with s the smaller and L the larger size. SciPy only uses the exact
/// distribution when s ≤ 8, so s passes over a coefficient array are cheap even when L is large.
/// </summary>
internal static class MannWhitneyExact
{
    /// <summary>P(U ≤ k).</summary>
    public static double Cdf(long k, int m, int n)
    {
        var total = (long)m * n;
        if (k < 0)
            return 0.0;
        if (k >= total)
            return 1.0;
        // The distribution is symmetric about mn/2; count the shorter side.
        if (k > total / 2)
            return 1.0 - Cdf(total - k - 1, m, n);

        var counts = Coefficients(k, Math.Min(m, n), Math.Max(m, n));
        var arrangements = 0.0;
        foreach (var count in counts)
            arrangements += count;
        return arrangements / Binomial(m + n, Math.Min(m, n));
    }

    /// <summary>The coefficients of q^0 … q^k in [smaller + larger choose smaller]_q.</summary>
    private static double[] Coefficients(long k, int smaller, int larger)
    {
        var degree = (int)k;
        var c = new double[degree + 1];
        c[0] = 1.0;
        // Dividing by (1 − q^i) is a running sum with stride i; all terms stay positive.
        for (var i = 1; i <= smaller; i++)
        {
            for (var j = i; j <= degree; j++)
                c[j] += c[j - i];
        }
        // Multiplying by (1 − q^(L+i)) removes the partitions with a part larger than L.
        for (var i = 1; i <= smaller; i++)
        {
            var shift = larger + i;
            for (var j = degree; j >= shift; j--)
                c[j] -= c[j - shift];
        }
        return c;
    }

    private static double Binomial(int n, int k)
    {
        var result = 1.0;
        for (var i = 1; i <= k; i++)
            result = result * (n - k + i) / i;
        return result;
    }
}
