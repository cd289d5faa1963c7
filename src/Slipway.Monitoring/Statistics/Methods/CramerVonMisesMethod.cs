using System.Buffers;
using MathNet.Numerics;
using Slipway.Monitoring.Statistics.Special;

namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>cramer_von_mises</c>: its vendored copy of SciPy's two-sample Cramér–von Mises test with midranks.
/// The p-value is exact while both samples have at most 20 values; beyond that the normalised statistic is referred
/// to the limiting distribution of the one-sample statistic (Csörgő and Faraway 1996), whose series Evidently sums
/// until a term drops below 1e-7. Both samples need at least two values.
/// </summary>
internal sealed class CramerVonMisesMethod : IDriftMethod
{
    private const int MaxExactSize = 20;
    private const double SeriesTolerance = 1e-7;

    public string Name => "cramer_von_mises";

    public string DisplayName => "Cramer-von Mises";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.PValueAtMost;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Numerical;

    public DriftScore Score(DriftSample sample)
    {
        int nx = sample.ReferenceCount, ny = sample.CurrentCount;
        if (nx <= 1 || ny <= 1)
            throw new DriftMethodException("x and y must contain at least two observations.");

        var u = RankStatistic(TieGroups.Build(sample.ReferenceSorted, sample.CurrentSorted), nx, ny);
        Int128 k = (Int128)nx * ny;
        Int128 n = (Int128)nx + ny;
        var t = u / (double)(k * n) - (double)(4 * k - 1) / (double)(6 * n);
        if (Math.Max(nx, ny) <= MaxExactSize)
            return new DriftScore(CramerVonMisesExact.PValue(u, nx, ny), t);

        // Expected value and variance of T (Anderson 1962, eqs. 11 and 14), then the normalised statistic (eq. 15).
        var expected = (1 + 1 / (double)n) / 6;
        var variance = ((double)n + 1.0) * (double)(4 * k * n - 3 * ((Int128)nx * nx + (Int128)ny * ny) - 2 * k);
        variance /= (double)(45 * n * n * 4 * k);
        var normalised = 1.0 / 6 + (t - expected) / Math.Sqrt(45 * variance);
        // Below 0.003 the limiting CDF is under 1.3e-18, so Evidently returns 1 without summing.
        var p = normalised < 0.003 ? 1.0 : Math.Max(0, 1.0 - LimitingCdf(normalised));
        return new DriftScore(p, t);
    }

    /// <summary>U = nx·Σ(r_i − i)² + ny·Σ(s_j − j)² over each sample's sorted midranks in the pooled sample.</summary>
    private static double RankStatistic(TieGroups groups, int nx, int ny)
    {
        var xTerms = ArrayPool<double>.Shared.Rent(nx);
        var yTerms = ArrayPool<double>.Shared.Rent(ny);
        int xi = 0, yi = 0;
        long before = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            int inX = groups.FirstCounts[g], inY = groups.SecondCounts[g];
            var midrank = before + (inX + inY + 1) / 2.0;
            for (var r = 0; r < inX; r++, xi++)
                xTerms[xi] = (midrank - (xi + 1)) * (midrank - (xi + 1));
            for (var r = 0; r < inY; r++, yi++)
                yTerms[yi] = (midrank - (yi + 1)) * (midrank - (yi + 1));
            before += inX + inY;
        }
        var u = nx * PairwiseSum.Sum(xTerms.AsSpan(0, nx)) + ny * PairwiseSum.Sum(yTerms.AsSpan(0, ny));
        ArrayPool<double>.Shared.Return(xTerms);
        ArrayPool<double>.Shared.Return(yTerms);
        return u;
    }

    /// <summary>
    /// The CDF of the limiting one-sample statistic, Σ_k Γ(k + ½)/(Γ(k + 1)·π^1.5·√x) · √(4k + 1) · e^(−q) · K_¼(q)
    /// with q = (4k + 1)²/(16x), summed like Evidently: the term that falls below 1e-7 is the last one added.
    /// </summary>
    private static double LimitingCdf(double x)
    {
        var total = 0.0;
        for (var k = 0; ; k++)
        {
            var scale = Math.Exp(SpecialFunctions.GammaLn(k + 0.5) - SpecialFunctions.GammaLn(k + 1)) / (Math.Pow(Math.PI, 1.5) * Math.Sqrt(x));
            double y = 4 * k + 1;
            var q = y * y / (16 * x);
            var term = scale * Math.Sqrt(y) * Math.Exp(-q) * BesselK.K(0.25, q);
            total += term;
            if (!(Math.Abs(term) >= SeriesTolerance))
                return total;
        }
    }
}
