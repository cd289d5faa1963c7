using MathNet.Numerics;

namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// The hypergeometric distribution of the number of marked items in <see cref="Draws"/> draws without replacement
/// from <see cref="Total"/> items of which <see cref="Marked"/> are marked (SciPy's <c>hypergeom(M, n, N)</c>).
/// A tail is summed from its cut-off outward, away from the mode, until the terms stop mattering, so small p-values
/// keep their relative accuracy instead of being computed as 1 − (something close to 1).
/// </summary>
internal readonly record struct HypergeometricDistribution(long Total, long Marked, long Draws)
{
    private const double NegligibleShare = 1e-20;

    public long Low => Math.Max(Draws - (Total - Marked), 0);

    public long High => Math.Min(Marked, Draws);

    /// <summary>
    /// The most likely count, ⌊(N + 1)(n + 1)/(M + 2)⌋ with the quotient taken in floating point as SciPy does.
    /// </summary>
    public long Mode => (long)((double)((Draws + 1) * (Marked + 1)) / (Total + 2));

    /// <summary>
    /// Written as C(n, k)·C(M − n, N − k)/C(M, N) with the two numerator factors added in a fixed order, so a table
    /// and its mirror image (equal row totals) get bit-identical probabilities and compare as equally extreme.
    /// </summary>
    public double Pmf(long k)
    {
        if (k < Low || k > High)
            return 0.0;
        return Math.Exp(LogBinomial(Marked, k) + LogBinomial(Total - Marked, Draws - k) - LogBinomial(Total, Draws));
    }

    /// <summary>P(X ≤ k).</summary>
    public double Cdf(long k)
    {
        if (k < Low)
            return 0.0;
        if (k >= High)
            return 1.0;
        return k < Mode ? SumDownFrom(k) : 1.0 - SumUpFrom(k + 1);
    }

    /// <summary>P(X &gt; k).</summary>
    public double Sf(long k)
    {
        if (k < Low)
            return 1.0;
        if (k >= High)
            return 0.0;
        return k + 1 > Mode ? SumUpFrom(k + 1) : 1.0 - SumDownFrom(k);
    }

    /// <summary>Σ pmf(j) for j = k, k − 1, …, Low; below the mode the terms only shrink.</summary>
    private double SumDownFrom(long k)
    {
        var sum = 0.0;
        for (var j = k; j >= Low; j--)
        {
            var term = Pmf(j);
            sum += term;
            if (term <= sum * NegligibleShare)
                break;
        }
        return sum;
    }

    /// <summary>Σ pmf(j) for j = k, k + 1, …, High.</summary>
    private double SumUpFrom(long k)
    {
        var sum = 0.0;
        for (var j = k; j <= High; j++)
        {
            var term = Pmf(j);
            sum += term;
            if (term <= sum * NegligibleShare)
                break;
        }
        return sum;
    }

    internal static double LogBinomial(long n, long k) =>
        SpecialFunctions.GammaLn(n + 1.0) - SpecialFunctions.GammaLn(k + 1.0) - SpecialFunctions.GammaLn(n - k + 1.0);
}
