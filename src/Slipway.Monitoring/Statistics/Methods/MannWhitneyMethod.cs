using Slipway.Monitoring.Statistics.Special;

namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>mannw</c>: <c>scipy.stats.mannwhitneyu(reference, current, alternative="less")</c>, a one-sided
/// test although Evidently's docstring calls it two-tailed. SciPy 1.10's "auto" method is exact when one sample has
/// at most 8 values and nothing is tied, and otherwise the normal approximation with tie and continuity corrections.
/// </summary>
internal sealed class MannWhitneyMethod : IDriftMethod
{
    private const int MaxExactSize = 8;

    public string Name => "mannw";

    public string DisplayName => "Mann-Whitney U-rank test";

    public double DefaultThreshold => 0.05;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Numerical;

    public DriftScore Score(DriftSample sample)
    {
        int n1 = sample.ReferenceCount, n2 = sample.CurrentCount;
        if (n1 == 0 || n2 == 0)
            throw new DriftMethodException("`x` and `y` must be of nonzero size.");

        var groups = TieGroups.Build(sample.ReferenceSorted, sample.CurrentSorted);
        // Midrank sums and the tie term Σ(t³ − t); midranks are half-integers, so the sum is exact.
        var referenceRankSum = 0.0;
        long tieTerm = 0;
        long before = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            long tied = groups.FirstCounts[g] + groups.SecondCounts[g];
            var midrank = before + (tied + 1) / 2.0;
            referenceRankSum += groups.FirstCounts[g] * midrank;
            tieTerm += tied * tied * tied - tied;
            before += tied;
        }

        var u1 = referenceRankSum - n1 * (n1 + 1.0) / 2;
        var product = (double)((long)n1 * n2);
        // alternative="less": SciPy takes the survival function of U2 = n1·n2 − U1.
        var u2 = product - u1;

        double p;
        if (Math.Min(n1, n2) <= MaxExactSize && !groups.HasTies)
        {
            p = MannWhitneyExact.Cdf((long)u1, n1, n2);
        }
        else
        {
            long n = (long)n1 + n2;
            var spread = Math.Sqrt(product / 12 * ((n + 1) - tieTerm / ((double)n * (n - 1))));
            var z = (u2 - product / 2 - 0.5) / spread;
            p = Distributions.NormalSf(z);
        }
        return new DriftScore(Math.Clamp(p, 0.0, 1.0), u1);
    }
}
