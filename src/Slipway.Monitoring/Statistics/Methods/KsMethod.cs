using Slipway.Monitoring.Statistics.Special;

namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>ks</c>: <c>scipy.stats.ks_2samp(reference, current)</c>, two-sided, method "auto". The p-value is
/// exact (lattice-path counting) while both samples have at most 10,000 values and asymptotic beyond that, through
/// the one-sample distribution at the effective size round(n1·n2 / (n1 + n2)).
/// </summary>
internal sealed class KsMethod : IDriftMethod
{
    private const int MaxExactSize = 10000;

    public string Name => "ks";

    public string DisplayName => "K-S p_value";

    public double DefaultThreshold => 0.05;

    public DriftRule Rule => DriftRule.PValueAtMost;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Numerical;

    public DriftScore Score(DriftSample sample)
    {
        var reference = sample.ReferenceSorted;
        var current = sample.CurrentSorted;
        if (reference.Length == 0 || current.Length == 0)
            throw new DriftMethodException("Data passed to ks_2samp must not be empty");

        var d = Statistic(reference, current);
        return new DriftScore(PValue(reference.Length, current.Length, d), d);
    }

    internal static double PValue(int n1, int n2, double d)
    {
        if (Math.Max(n1, n2) <= MaxExactSize)
        {
            var exact = KolmogorovSmirnovExact.TwoSidedPValue(n1, n2, d, out var roundedD);
            if (exact is { } p)
                return Math.Clamp(p, 0.0, 1.0);
            d = roundedD;
        }

        double larger = Math.Max(n1, n2), smaller = Math.Min(n1, n2);
        var effectiveSize = Math.Round(larger * smaller / (larger + smaller), MidpointRounding.ToEven);
        return Math.Clamp(KolmogorovDistribution.Sf((long)effectiveSize, d), 0.0, 1.0);
    }

    /// <summary>
    /// The largest gap between the two empirical CDFs, evaluated at every distinct value as SciPy does with
    /// <c>searchsorted(..., side="right")</c>; each CDF value is count / n in floating point, as in SciPy.
    /// </summary>
    internal static double Statistic(double[] reference, double[] current)
    {
        double n1 = reference.Length, n2 = current.Length;
        var maxDiff = double.NegativeInfinity;
        var minDiff = double.PositiveInfinity;
        int i = 0, j = 0;
        while (i < reference.Length || j < current.Length)
        {
            var value = j >= current.Length || (i < reference.Length && reference[i] <= current[j]) ? reference[i] : current[j];
            while (i < reference.Length && reference[i] <= value)
                i++;
            while (j < current.Length && current[j] <= value)
                j++;
            var diff = i / n1 - j / n2;
            maxDiff = Math.Max(maxDiff, diff);
            minDiff = Math.Min(minDiff, diff);
        }
        var minS = Math.Clamp(-minDiff, 0.0, 1.0);
        return minS > maxDiff ? minS : maxDiff;
    }
}
