namespace Slipway.Monitoring.Statistics;

/// <summary>Distinct-value counts from sorted samples, without building per-value tables (NaN already removed).</summary>
internal static class UniqueCounts
{
    /// <summary>The number of distinct values in reference ∪ current, by one merge of the sorted arrays.</summary>
    public static int Combined(double[] sortedA, double[] sortedB)
    {
        int i = 0, j = 0, distinct = 0;
        while (i < sortedA.Length || j < sortedB.Length)
        {
            var value = j >= sortedB.Length || (i < sortedA.Length && sortedA[i] <= sortedB[j]) ? sortedA[i] : sortedB[j];
            while (i < sortedA.Length && sortedA[i] == value)
                i++;
            while (j < sortedB.Length && sortedB[j] == value)
                j++;
            distinct++;
        }
        return distinct;
    }
}
