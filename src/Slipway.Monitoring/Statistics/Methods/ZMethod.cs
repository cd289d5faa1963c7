using Slipway.Monitoring.Statistics.Special;

namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>z</c>: a pooled two-proportion z-test where the first value in sorted order counts as 0 and every
/// other value as 1. The p-value is 2·(1 − Φ(|z|)) written exactly so, which makes it 0 once Φ rounds to 1
/// (|z| ≳ 8.3). Two columns holding the same single value give p = 1.
/// </summary>
internal sealed class ZMethod : IDriftMethod
{
    public string Name => "z";

    public string DisplayName => "Z-test p_value";

    public double DefaultThreshold => 0.05;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Categorical;

    public DriftScore Score(DriftSample sample)
    {
        if (sample.ReferenceCount == 0 || sample.CurrentCount == 0)
            throw new DriftMethodException("z needs values in both reference and current data.");

        var table = sample.Categories;
        if (table.Count == 1)
            return new DriftScore(1.0);

        // Category 0 of the sorted table is the one mapped to 0; the proportions are of the "1" values.
        double n1 = sample.ReferenceCount, n2 = sample.CurrentCount;
        var p1 = (n1 - table.ReferenceCounts[0]) / n1;
        var p2 = (n2 - table.CurrentCounts[0]) / n2;
        var pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
        var z = (p1 - p2) / Math.Sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        var p = 2 * (1 - Distributions.NormalCdf(Math.Abs(z)));
        return new DriftScore(p, z);
    }
}
