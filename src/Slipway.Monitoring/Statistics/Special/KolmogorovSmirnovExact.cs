namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// The exact null distribution of the two-sample Kolmogorov–Smirnov statistic by lattice-path counting (SciPy 1.10
/// <c>_attempt_exact_2kssamp</c>, two-sided). A statistic d = h / lcm(n1, n2) is significant when a path from (0, 0)
/// to (n1, n2) leaves the band |x/n1 − y/n2| &lt; d; the p-value is the share of paths that do.
/// </summary>
internal static class KolmogorovSmirnovExact
{
    /// <summary>
    /// The exact two-sided p-value for the statistic <paramref name="d"/>, or null where SciPy gives up on the exact
    /// path (a result outside [0, 1]) and falls back to the asymptotic distribution. <paramref name="roundedD"/> is
    /// d snapped to the lattice, which that fallback uses.
    /// </summary>
    public static double? TwoSidedPValue(int n1, int n2, double d, out double roundedD)
    {
        long g = GreatestCommonDivisor(n1, n2);
        var lcm = n1 / g * n2;
        var h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
        roundedD = h * 1.0 / lcm;
        if (h == 0)
            return 1.0;
        var probability = n1 == n2 ? OutsideSquare(n1, h) : OutsideBand(n1, n2, g, h);
        return probability is >= 0 and <= 1 ? probability : null;
    }

    /// <summary>
    /// Equal sample sizes: P(D ≥ h/n) = 2·Σ (−1)^(k+1) C(2n, n−kh) / C(2n, n), evaluated Horner-style from the last
    /// term so the alternating sum does not cancel.
    /// </summary>
    internal static double OutsideSquare(long n, long h)
    {
        var total = 0.0;
        for (var k = (long)Math.Floor((double)n / h); k >= 0; k--)
        {
            var ratio = 1.0;
            for (long j = 0; j < h; j++)
                ratio = (n - k * h - j) * ratio / (n + k * h + j + 1);
            total = ratio * (1.0 - total);
        }
        return 2 * total;
    }

    /// <summary>
    /// Unequal sizes: walks the lattice column by column, keeping for each cell the probability that a path reaching
    /// it has already left the band (Viehmann's recursion for 1 − p, which stays in [0, 1] and cannot overflow).
    /// Only the window of cells inside the band is stored.
    /// </summary>
    internal static double OutsideBand(long m, long n, long g, long h)
    {
        if (m < n)
            (m, n) = (n, m);
        var mg = m / g;
        var ng = n / g;

        var minJ = 0L;
        var maxJ = Math.Min((long)Math.Ceiling((double)h / mg), n + 1);
        var currentLength = maxJ - minJ;
        var window = new double[Math.Min(2 * maxJ + 2, n + 1)];
        Array.Fill(window, 1.0);
        Array.Clear(window, (int)minJ, (int)(maxJ - minJ));

        for (long i = 1; i <= m; i++)
        {
            var lastMinJ = minJ;
            var lastLength = currentLength;
            minJ = Math.Min(Math.Max((long)Math.Floor((double)(ng * i - h) / mg) + 1, 0), n);
            maxJ = Math.Min((long)Math.Ceiling((double)(ng * i + h) / mg), n + 1);
            if (maxJ <= minJ)
                return 1.0;

            // Cells below the band count as "already outside" (1); the first in-band cell mixes its left and lower
            // neighbours in proportion to the number of paths arriving from each.
            var below = minJ == 0 ? 0.0 : 1.0;
            for (var jj = 0L; jj < maxJ - minJ; jj++)
            {
                var j = jj + minJ;
                below = (window[jj + minJ - lastMinJ] * i + below * j) / (i + j);
                window[jj] = below;
            }
            currentLength = maxJ - minJ;
            if (lastLength > currentLength)
                Array.Fill(window, 1.0, (int)(maxJ - minJ), (int)(lastLength - currentLength));
        }
        return window[maxJ - minJ - 1];
    }

    private static int GreatestCommonDivisor(int a, int b)
    {
        while (b != 0)
            (a, b) = (b, a % b);
        return a;
    }
}
