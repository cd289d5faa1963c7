namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>TVD</c>: the total variation distance ½ Σ |p − q| between the value shares is the
/// <see cref="DriftScore.Statistic"/>, and the score is the p-value of a 1000-permutation test (the share of
/// relabelled samples whose distance is at least the observed one). Evidently permutes with NumPy's generator
/// seeded 0; that stream cannot be reproduced here, so this uses its own seeded generator and the p-value is not
/// comparable number for number (<see cref="IsDeterministic"/> is false). Two shortcuts keep large windows fast and
/// exact: a permutation only changes how many of each value land in the reference, which is a multivariate
/// hypergeometric draw (one draw per distinct value instead of shuffling every row), and distances are compared as
/// the integers Σ |r·n_cur − c·n_ref|, so ties are ties and not decided by rounding as in Evidently.
/// </summary>
internal sealed class TvdMethod : IDriftMethod
{
    private const int Permutations = 1000;
    private const int Seed = 0;

    public string Name => "TVD";

    public string DisplayName => "Total-Variation-Distance";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Categorical;

    public bool IsDeterministic => false;

    public DriftScore Score(DriftSample sample)
    {
        NumericGuard.RequireValues(sample, Name);
        var table = sample.Categories;
        long n = sample.ReferenceCount, m = sample.CurrentCount;
        var statistic = 0.0;
        for (var k = 0; k < table.Count; k++)
            statistic += Math.Abs(table.ReferenceCounts[k] / (double)n - table.CurrentCounts[k] / (double)m);
        statistic *= 0.5;

        var totals = new long[table.Count];
        for (var k = 0; k < totals.Length; k++)
            totals[k] = table.ReferenceCounts[k] + table.CurrentCounts[k];
        var observed = ScaledDistance(table.ReferenceCounts, totals, n, m);
        var random = new Random(Seed);
        var drawn = new long[totals.Length];
        var atLeast = 0;
        for (var p = 0; p < Permutations; p++)
        {
            long remaining = n + m, toDraw = n;
            for (var k = 0; k < totals.Length; k++)
            {
                drawn[k] = Hypergeometric.Sample(random, remaining, totals[k], toDraw);
                remaining -= totals[k];
                toDraw -= drawn[k];
            }
            if (ScaledDistance(drawn, totals, n, m) >= observed)
                atLeast++;
        }
        return new DriftScore(atLeast / (double)Permutations, statistic);
    }

    /// <summary>2·n·m·TVD = Σ |r·m − (t − r)·n|, an exact integer.</summary>
    private static long ScaledDistance(long[] reference, long[] totals, long n, long m)
    {
        long sum = 0;
        for (var k = 0; k < totals.Length; k++)
            sum += Math.Abs(reference[k] * m - (totals[k] - reference[k]) * n);
        return sum;
    }
}
