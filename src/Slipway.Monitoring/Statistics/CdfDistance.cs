using System.Runtime.CompilerServices;

namespace Slipway.Monitoring.Statistics;

/// <summary>
/// SciPy's <c>_cdf_distance</c> without weights, the core of <c>wasserstein_distance</c> (p = 1) and
/// <c>energy_distance</c> (p = 2): Σ |F_u(x_k) − F_v(x_k)|^p · (x_{k+1} − x_k) over the merged sorted values, with each
/// CDF taken as count/n exactly as SciPy divides. Walking the two sorted samples once replaces SciPy's argsort and
/// searchsorted; tied values add zero-width terms, so only distinct values need visiting.
/// </summary>
internal static class CdfDistance
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Sum(double[] sortedU, double[] sortedV, int power)
    {
        double n = sortedU.Length, m = sortedV.Length;
        int i = 0, j = 0;
        var sum = 0.0;
        var compensation = 0.0;
        while (i < sortedU.Length || j < sortedV.Length)
        {
            var value = j >= sortedV.Length || (i < sortedU.Length && sortedU[i] <= sortedV[j]) ? sortedU[i] : sortedV[j];
            while (i < sortedU.Length && sortedU[i] <= value)
                i++;
            while (j < sortedV.Length && sortedV[j] <= value)
                j++;
            if (i == sortedU.Length && j == sortedV.Length)
                break;
            var next = j >= sortedV.Length || (i < sortedU.Length && sortedU[i] <= sortedV[j]) ? sortedU[i] : sortedV[j];
            var gap = Math.Abs(i / n - j / m);
            var term = (power == 1 ? gap : gap * gap) * (next - value);
            // Neumaier's compensated sum: NumPy's pairwise sum is accurate to a few ulps, and so is this.
            var total = sum + term;
            compensation += Math.Abs(sum) >= Math.Abs(term) ? (sum - total) + term : (term - total) + sum;
            sum = total;
        }
        return sum + compensation;
    }
}
