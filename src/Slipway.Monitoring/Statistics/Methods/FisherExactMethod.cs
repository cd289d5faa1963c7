using Slipway.Monitoring.Statistics.Special;

namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>fisher_exact</c>: SciPy's two-sided Fisher exact test on the 2×2 table
/// [[ones in current, zeros in current], [ones in reference, zeros in reference]]. Evidently refuses a side with
/// more than two distinct values first, then samples of different lengths.
/// </summary>
internal sealed class FisherExactMethod : IDriftMethod
{
    public string Name => "fisher_exact";

    public string DisplayName => "Fisher's Exact test";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Categorical;

    public DriftScore Score(DriftSample sample)
    {
        if (sample.ReferenceCount == 0 || sample.CurrentCount == 0)
            throw new DriftMethodException("fisher_exact needs values in both reference and current data.");

        var table = sample.Categories;
        int referenceDistinct = 0, currentDistinct = 0;
        for (var i = 0; i < table.Count; i++)
        {
            if (table.ReferenceCounts[i] > 0)
                referenceDistinct++;
            if (table.CurrentCounts[i] > 0)
                currentDistinct++;
        }
        if (referenceDistinct > 2 || currentDistinct > 2)
            throw new DriftMethodException("Expects binary data for both reference and current, but found unique categories > 2");
        if (sample.ReferenceCount != sample.CurrentCount)
            throw new DriftMethodException("reference_data and current_data are not of equal length, please ensure that they are of equal length");

        // Evidently maps the values to 0/1 in Python set order; with exactly two values the two-sided p-value does
        // not depend on which is which. With three or four (each side binary) its result depends on set order, and
        // here the first sorted value counts as 0 and every other value as 1.
        var zeroReference = table.ReferenceCounts[0];
        var zeroCurrent = table.CurrentCounts[0];
        var oneReference = sample.ReferenceCount - zeroReference;
        var oneCurrent = sample.CurrentCount - zeroCurrent;
        return new DriftScore(FisherExact.TwoSidedPValue(oneCurrent, zeroCurrent, oneReference, zeroReference));
    }
}
