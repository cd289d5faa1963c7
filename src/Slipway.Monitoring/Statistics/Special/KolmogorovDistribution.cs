namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// The survival function of the two-sided one-sample Kolmogorov–Smirnov statistic D_n, SciPy 1.10's
/// <c>kstwo.sf(d, n)</c> (<c>scipy.stats._ksstats._kolmogn</c>). It picks an algorithm by region, following Simard and
/// L'Ecuyer (2011): closed forms near the ends (Ruben–Gambino), the exact one-sided Smirnov tail where the two tails
/// cannot overlap or the overlap is negligible, Durbin's matrix method for small n·d^1.5 and the Pelz–Good series
/// elsewhere. Matching the regions matters because each method has its own error.
/// </summary>
internal static class KolmogorovDistribution
{
    private static readonly double[] StirlingCoefficients =
    [
        -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
        -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    ];

    /// <summary>P(D_n ≥ d) for sample size <paramref name="n"/>.</summary>
    public static double Sf(long n, double d)
    {
        if (n <= 0 || double.IsNaN(d))
            return double.NaN;
        if (d >= 1.0)
            return 0.0;
        if (d <= 0.0)
            return 1.0;

        var t = n * d;
        if (t <= 1.0)
        {
            if (t <= 0.5)
                return 1.0;
            return Clip(1.0 - RubenGambinoLowerCdf(n, t));
        }
        if (t >= n - 1)
            return Clip(2 * Math.Pow(1.0 - d, n));
        if (d >= 0.5)
            return Clip(2 * Smirnov.Sf(n, d));

        var nxSquared = t * d;
        if (n <= 140)
        {
            // SciPy uses Pomeranz's recursion for 0.754693 < n·d² ≤ 4; Durbin's matrix method is exact as well and
            // agrees with it to rounding, so one exact algorithm serves the whole small-n region.
            if (nxSquared <= 4)
                return Clip(1.0 - KolmogorovDurbin.Cdf(n, d));
            return Clip(2 * Smirnov.Sf(n, d));
        }

        if (nxSquared >= 370.0)
            return 0.0;
        if (nxSquared >= 2.2)
            return Clip(2 * Smirnov.Sf(n, d));

        var cdf = n <= 100000 && n * Math.Pow(d, 1.5) <= 1.4
            ? KolmogorovDurbin.Cdf(n, d)
            : PelzGoodCdf(n, d);
        return Clip(1.0 - cdf);
    }

    /// <summary>For 1/(2n) &lt; d ≤ 1/n the CDF is n!/n^n · (2nd − 1)^n.</summary>
    private static double RubenGambinoLowerCdf(long n, double t)
    {
        if (n <= 140)
        {
            var product = 1.0;
            var factor = 2 * t - 1;
            for (long i = 1; i <= n; i++)
                product *= i * (1.0 / n) * factor;
            return product;
        }
        return Math.Exp(LogFactorialOverPower(n) + n * Math.Log(2 * t - 1));
    }

    /// <summary>log(n!/n^n) by Stirling's series with the n·log n term removed up front, so nothing cancels.</summary>
    private static double LogFactorialOverPower(long n)
    {
        var reciprocal = 1.0 / n;
        var x = reciprocal / n;
        var series = 0.0;
        foreach (var coefficient in StirlingCoefficients)
            series = series * x + coefficient;
        return Math.Log(n) / 2 - n + Math.Log(2 * Math.PI) / 2 + reciprocal * series;
    }

    /// <summary>
    /// Pelz and Good's (1976) expansion of P(D_n ≤ d) ≈ K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^1.5 with z = d√n, the
    /// Li-Chien/Korolyuk terms rewritten through Jacobi theta identities so that they converge for small z.
    /// </summary>
    internal static double PelzGoodCdf(long n, double d)
    {
        if (d <= 0.0)
            return 0.0;
        if (d >= 1.0)
            return 1.0;

        var z = Math.Sqrt(n) * d;
        double z2 = Math.Pow(z, 2), z3 = Math.Pow(z, 3), z4 = Math.Pow(z, 4), z6 = Math.Pow(z, 6);
        var logQ = -Math.PI * Math.PI / 8 / z2;
        if (logQ < -708)
            return 0.0;
        var q = Math.Exp(logQ);

        const double pi2 = Math.PI * Math.PI;
        var pi4 = Math.Pow(Math.PI, 4);
        var pi6 = Math.Pow(Math.PI, 6);
        double k1a = -z2, k1b = pi2 / 4;
        double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4, k2c = pi4 * (1 - 2 * z2) / 16;
        double k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
        double k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * Math.Pow(z, 8);

        // Sums over odd m = 2k − 1 of c_i(m)·q^(m²), by Horner's scheme in q^8k.
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var maxK = (int)Math.Ceiling(16 * z / Math.PI);
        for (var k = maxK; k >= 1; k--)
        {
            double m = 2 * k - 1, m2 = m * m, m4 = Math.Pow(m, 4), m6 = Math.Pow(m, 6);
            var qPower = Math.Pow(q, 8 * k);
            s0 = s0 * qPower + 1.0;
            s1 = s1 * qPower + (k1a + k1b * m2);
            s2 = s2 * qPower + (k2a + k2b * m2 + k2c * m4);
            s3 = s3 * qPower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
        }
        var sqrt2Pi = Math.Sqrt(2 * Math.PI);
        s0 = s0 * q * sqrt2Pi / z;
        s1 = s1 * q * sqrt2Pi / (6 * z4);
        s2 = s2 * q * sqrt2Pi / (72 * Math.Pow(z, 7));
        s3 = s3 * q * sqrt2Pi / (6480 * Math.Pow(z, 10));

        // The K2 and K3 terms also carry sums over all integers k of k²·q'^(k²) with q' = e^(−π²/2z²).
        var qAll = Math.Exp(-pi2 / 2 / z2);
        var sqrt3Z = Math.Sqrt(3) * z;
        double k2Extra = 0, k3Extra = 0;
        for (var k = maxK; k >= 1; k--)
        {
            var kSquared = (double)k * k;
            var qPower = Math.Pow(qAll, kSquared);
            var kPi = Math.PI * k;
            k2Extra += kSquared * qPower;
            k3Extra += (sqrt3Z + kPi) * (sqrt3Z - kPi) * kSquared * qPower;
        }
        s2 += k2Extra * (pi2 * sqrt2Pi / (-36 * z3));
        s3 += k3Extra * (pi2 * sqrt2Pi / (216 * z6));

        var nDouble = (double)n;
        return s0 + s1 / Math.Pow(nDouble, 0.5) + s2 / nDouble + s3 / Math.Pow(nDouble, 1.5);
    }

    private static double Clip(double p) => double.IsNaN(p) ? p : Math.Clamp(p, 0.0, 1.0);
}
