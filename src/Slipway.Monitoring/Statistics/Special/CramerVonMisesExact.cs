namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// The exact null distribution of the two-sample Cramér–von Mises statistic U (Xiao, Gordon and Yakovlev 2006;
/// Anderson 1962) as Evidently's vendored copy of SciPy's code computes it. Every arrangement of the samples is a
/// lattice path from (0, 0) to (n, m); U is, up to an affine map, the sum over the path's points of (a·v − b·u)²
/// with a = lcm/m and b = lcm/n. Path sums are tabulated column by column with their frequencies.
/// Evidently sizes that table with <c>np.min_scalar_type(max(bound, C(m + n, m)))</c> where the binomial is a
/// float, so the table is often float16 or float32 and both sums and frequencies round; the tables here keep
/// NumPy's entry order and rounding so the p-value comes out the same.
/// </summary>
internal static class CramerVonMisesExact
{
    /// <summary>P(U ≥ s) for sample sizes m and n (Evidently uses it while both are at most 20).</summary>
    public static double PValue(double s, int m, int n)
    {
        long lcm = (long)m / Gcd(m, n) * n;
        long a = lcm / m, b = lcm / n;
        long mn = (long)m * n;
        // ζ = lcm²·(m + n)·(6s − mn(4mn − 1)) // (6·mn²), a float floor division in NumPy.
        var zeta = FloorDivide(lcm * lcm * (m + n) * (6 * s - mn * (4 * mn - 1)), 6 * mn * mn);

        var bound = lcm * lcm * (m + n);
        var combinations = Binomial(m + n, m);
        var storage = bound >= combinations
            ? NumPyStorage.Integer
            : NumPyStorages.MinScalarType(combinations, isInteger: false);

        var tables = new FrequencyTable[m + 1];
        tables[0] = FrequencyTable.Single(0, 1);
        for (var v = 1; v <= m; v++)
            tables[v] = FrequencyTable.Empty;
        for (var u = 0; u <= n; u++)
        {
            var next = new FrequencyTable[m + 1];
            var fromBelow = FrequencyTable.Empty;
            for (var v = 0; v <= m; v++)
            {
                var step = a * v - b * u;
                fromBelow = FrequencyTable.Merge(fromBelow, tables[v], storage).Shift(step * step, storage);
                next[v] = fromBelow;
            }
            tables = next;
        }

        var final = tables[m];
        var threshold = storage.ComparisonWith(zeta).Round(zeta);
        var selected = new List<double>(final.Count);
        for (var i = 0; i < final.Count; i++)
        {
            if (final.Sums[i] >= threshold)
                selected.Add(final.Frequencies[i]);
        }
        return storage.Sum(selected.ToArray()) / combinations;
    }

    /// <summary>NumPy's float floor division: the floor of the exact quotient, not of the rounded one.</summary>
    internal static double FloorDivide(double numerator, double denominator)
    {
        var remainder = numerator % denominator;
        var quotient = (numerator - remainder) / denominator;
        if (remainder != 0 && (denominator < 0) != (remainder < 0))
            quotient -= 1.0;
        if (quotient == 0)
            return Math.CopySign(0.0, numerator / denominator);
        var floor = Math.Floor(quotient);
        return quotient - floor > 0.5 ? floor + 1.0 : floor;
    }

    /// <summary>C(n, k) exactly (every partial product is itself a binomial coefficient); exact as a double for n ≤ 40.</summary>
    private static double Binomial(int n, int k)
    {
        long result = 1;
        for (var i = 1; i <= k; i++)
            result = result * (n - k + i) / i;
        return result;
    }

    private static long Gcd(long x, long y)
    {
        while (y != 0)
            (x, y) = (y, x % y);
        return x;
    }
}
