using System.Runtime.CompilerServices;

namespace Slipway.Monitoring.Statistics;

/// <summary>Distinct-value counts from sorted samples, without building per-value tables (NaN already removed).</summary>
internal static class UniqueCounts
{
    /// <summary>Distinct values of each side and of their union, in one merge of the two sorted arrays.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int A, int B, int Combined) Count(double[] sortedA, double[] sortedB)
    {
        int i = 0, j = 0, a = 0, b = 0, combined = 0;
        while (i < sortedA.Length || j < sortedB.Length)
        {
            var value = j >= sortedB.Length || (i < sortedA.Length && sortedA[i] <= sortedB[j]) ? sortedA[i] : sortedB[j];
            var startA = i;
            var startB = j;
            while (i < sortedA.Length && sortedA[i] == value)
                i++;
            while (j < sortedB.Length && sortedB[j] == value)
                j++;
            a += i > startA ? 1 : 0;
            b += j > startB ? 1 : 0;
            combined++;
        }
        return (a, b, combined);
    }
}
