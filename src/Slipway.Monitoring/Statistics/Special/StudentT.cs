using MathNet.Numerics;

namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// The Student t CDF, <c>scipy.special.stdtr(df, t)</c>, accurate to ~1e-13 relative for the degrees of freedom a
/// t-test over large samples produces (millions). General-purpose incomplete beta routines lose 1e-8 there, so for
/// integer df this follows Cephes: a finite series for |t| ≤ 2 and, in the far tail, the incomplete beta
/// I_x(df/2, 1/2) by its continued fraction with a cancellation-free prefactor.
/// </summary>
internal static class StudentT
{
    private const double MachineEpsilon = 1.11022302462515654042E-16;

    public static double Cdf(double degreesOfFreedom, double t)
    {
        if (double.IsNaN(t) || double.IsNaN(degreesOfFreedom) || degreesOfFreedom <= 0)
            return double.NaN;
        if (double.IsNegativeInfinity(t))
            return 0.0;
        if (double.IsPositiveInfinity(t))
            return 1.0;
        if (t == 0)
            return 0.5;
        if (degreesOfFreedom != Math.Floor(degreesOfFreedom) || degreesOfFreedom > int.MaxValue)
        {
            var tail = 0.5 * SpecialFunctions.BetaRegularized(degreesOfFreedom / 2, 0.5, degreesOfFreedom / (degreesOfFreedom + t * t));
            return t < 0 ? tail : 1.0 - tail;
        }
        if (t < -2.0)
            return 0.5 * LowerTailBeta(degreesOfFreedom, t * t);
        return 0.5 + 0.5 * Math.CopySign(CentralMass(degreesOfFreedom, Math.Abs(t)), t);
    }

    /// <summary>P(|T| &lt; x) by the closed-form series for integer df (odd: arctangent plus a sum; even: a sum).</summary>
    private static double CentralMass(double k, double x)
    {
        var z = 1.0 + x * x / k;
        var f = 1.0;
        var term = 1.0;
        if (((long)k & 1) != 0)
        {
            var xOverRootK = x / Math.Sqrt(k);
            var p = Math.Atan(xOverRootK);
            if (k > 1)
            {
                for (var j = 3.0; j <= k - 2 && term / f > MachineEpsilon; j += 2)
                {
                    term *= (j - 1) / (z * j);
                    f += term;
                }
                p += f * xOverRootK / z;
            }
            return p * 2.0 / Math.PI;
        }

        for (var j = 2.0; j <= k - 2 && term / f > MachineEpsilon; j += 2)
        {
            term *= (j - 1) / (z * j);
            f += term;
        }
        return f * x / Math.Sqrt(z * k);
    }

    /// <summary>
    /// I_x(a, 1/2) with a = k/2 and x = k/(k + t²), for t² &gt; 4, where x lies below the continued fraction's
    /// switch point (a + 1)/(a + b + 2) so no symmetry (and no cancellation) is needed.
    /// </summary>
    private static double LowerTailBeta(double k, double tSquared)
    {
        var a = k / 2;
        const double b = 0.5;
        var x = k / (k + tSquared);
        var logX = -NumericMath.Log1p(tSquared / k);
        var logOneMinusX = Math.Log(tSquared) - Math.Log(k + tSquared);
        var logFront = a * logX + b * logOneMinusX - Math.Log(a) - LogBetaOfHalf(a);
        return Math.Exp(logFront) * ContinuedFraction(a, b, x);
    }

    /// <summary>ln B(a, 1/2) = ln Γ(1/2) − (ln Γ(a + 1/2) − ln Γ(a)); the difference by its asymptotic series for large a.</summary>
    private static double LogBetaOfHalf(double a)
    {
        const double logGammaHalf = 0.57236494292470008707;
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
        return logGammaHalf - ratio;
    }

    /// <summary>The incomplete beta continued fraction, evaluated by the modified Lentz method.</summary>
    private static double ContinuedFraction(double a, double b, double x)
    {
        const double tiny = 1e-300;
        double qab = a + b, qap = a + 1, qam = a - 1;
        var c = 1.0;
        var d = 1.0 - qab * x / qap;
        d = Math.Abs(d) < tiny ? tiny : d;
        d = 1.0 / d;
        var h = d;
        for (var m = 1; m <= 100000; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1.0 + aa * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1.0 + aa / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1.0 + aa * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1.0 + aa / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1.0) < 1e-16)
                break;
        }
        return h;
    }
}
