using System.Buffers;

namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// Sums and means in NumPy's order. <c>np.sum</c> and <c>np.mean</c> reduce float64 arrays in buffers of 8192
/// values, each added pairwise (blocks of 128 with eight running partial sums), so a plain left-to-right loop
/// differs in the last bits. Those bits decide whether a "constant" column has variance exactly 0, which turns a
/// t-test into NaN or into a number.
/// </summary>
internal static class PairwiseSum
{
    private const int BlockSize = 128;

    /// <summary>NumPy's reduction buffer size: each buffer is summed pairwise, the buffers one after another.</summary>
    internal const int BufferSize = 8192;

    public static double Sum(ReadOnlySpan<double> values)
    {
        var total = 0.0;
        for (var start = 0; start < values.Length; start += BufferSize)
            total += Pairwise(values.Slice(start, Math.Min(BufferSize, values.Length - start)));
        return total;
    }

    private static double Pairwise(ReadOnlySpan<double> values)
    {
        if (values.Length < 8)
        {
            var small = 0.0;
            foreach (var value in values)
                small += value;
            return small;
        }

        if (values.Length <= BlockSize)
        {
            double r0 = values[0], r1 = values[1], r2 = values[2], r3 = values[3];
            double r4 = values[4], r5 = values[5], r6 = values[6], r7 = values[7];
            var unrolledEnd = values.Length - (values.Length % 8);
            var i = 8;
            for (; i < unrolledEnd; i += 8)
            {
                r0 += values[i];
                r1 += values[i + 1];
                r2 += values[i + 2];
                r3 += values[i + 3];
                r4 += values[i + 4];
                r5 += values[i + 5];
                r6 += values[i + 6];
                r7 += values[i + 7];
            }
            var total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < values.Length; i++)
                total += values[i];
            return total;
        }

        // Split in two halves whose first part is a multiple of the unroll factor, as NumPy does.
        var half = values.Length / 2;
        half -= half % 8;
        return Pairwise(values[..half]) + Pairwise(values[half..]);
    }

    public static double Mean(ReadOnlySpan<double> values) => Sum(values) / values.Length;

    /// <summary>
    /// SciPy's <c>_var(x, ddof)</c>: the mean of squared deviations from the NumPy mean, rescaled by n/(n − ddof).
    /// With one value the rescaling is 1/0, which makes the variance NaN as in SciPy.
    /// </summary>
    public static double Variance(ReadOnlySpan<double> values, double mean, int ddof)
    {
        var buffer = ArrayPool<double>.Shared.Rent(values.Length);
        var squares = buffer.AsSpan(0, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            var deviation = values[i] - mean;
            squares[i] = deviation * deviation;
        }
        var variance = Mean(squares);
        ArrayPool<double>.Shared.Return(buffer);
        if (ddof != 0)
            variance *= (double)values.Length / (values.Length - ddof);
        return variance;
    }
}
