using MathNet.Numerics;

namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// The one-sided Kolmogorov–Smirnov (Smirnov) tail P(D_n⁺ ≥ x), <c>scipy.special.smirnov(n, x)</c>, by the
/// Birnbaum–Tingey sum x · Σ_{v=0}^{⌊n(1−x)⌋} C(n, v) (x + v/n)^(v−1) (1 − x − v/n)^(n−v). Every term is positive, so
/// summing them in log space keeps full relative accuracy without Cephes' double-double arithmetic; the edge cases
/// and the large-n approximation follow Cephes so the same inputs take the same branch.
/// </summary>
internal static class Smirnov
{
    /// <summary>Cephes' MINLOG, log(2^−1022): e^(−2nx²) below this underflows and the tail is 0.</summary>
    private const double MinLog = -7.08396418532264106224E2;

    private const int MaxComputedN = 1000000;

    private const double MachineEpsilon = 2.220446049250313e-16;

    public static double Sf(long n, double x)
    {
        if (!(n > 0 && x >= 0.0 && x <= 1.0))
            return double.NaN;
        if (n == 1)
            return 1 - x;
        if (x == 0.0)
            return 1.0;
        if (x == 1.0)
            return 0.0;

        var nx = n * x;
        var nxFloor = Math.Floor(nx);
        var fraction = nx - nxFloor;
        if (nxFloor == 0 || (nxFloor == 1 && fraction == 0))
            return 1 - x * Math.Pow(1 + x, n - 1);
        if (-2 * n * x * x < MinLog)
            return 0.0;
        if (nxFloor >= n - 1)
            return Math.Pow(1 - x, n);
        if (n > MaxComputedN)
        {
            // Cephes stops summing here and uses p ≈ exp(−(6nx + 1)² / 18n).
            var logP = -Math.Pow(6.0 * n * x + 1, 2) / 18.0 / n;
            return Math.Exp(logP);
        }
        return LowerSum(n, x, nx, nxFloor);
    }

    private static double LowerSum(long n, double x, double nx, double nxFloor)
    {
        // The last index is ⌊n(1 − x)⌋; when n·x is an integer that term is 0 and is left out.
        var lastV = (long)(n - nxFloor) - 1;
        var terms = lastV + 1;
        var logNFactorial = SpecialFunctions.GammaLn(n + 1.0);
        var logX = Math.Log(x);
        var sum = 0.0;
        for (long v = 0; v <= lastV; v++)
        {
            var logBinomial = logNFactorial - SpecialFunctions.GammaLn(v + 1.0) - SpecialFunctions.GammaLn(n - v + 1.0);
            var upper = (nx + v) / n;
            var lower = (n - v - nx) / n;
            var logTerm = logBinomial + logX + (v - 1) * Math.Log(upper) + (n - v) * Math.Log(lower);
            var term = Math.Exp(logTerm);
            sum += term;

            // Past the peak the terms fall fast; stop once the rest cannot move the sum (Cephes' criterion).
            if (term != 0.0)
            {
                if (4.0 * (terms - v) * term < MachineEpsilon * sum && v != lastV)
                    break;
            }
            else if (v > n / 2)
            {
                break;
            }
        }
        return sum;
    }
}
