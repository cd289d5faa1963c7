namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// A NumPy array dtype chosen by <c>np.min_scalar_type</c>, with the rounding its arithmetic applies. Evidently's
/// exact Cramér–von Mises code sizes its frequency table this way, and when the bound it passes is a float the
/// table becomes float16 or float32, whose rounding changes the p-value; reproducing Evidently's numbers means
/// rounding the same way.
/// </summary>
internal enum NumPyStorage
{
    /// <summary>An unsigned integer dtype: exact for the counts involved.</summary>
    Integer,
    Half,
    Single,
    Double,
}

internal static class NumPyStorages
{
    /// <summary><c>np.min_scalar_type</c> of a non-negative integer or float value.</summary>
    public static NumPyStorage MinScalarType(double value, bool isInteger)
    {
        if (isInteger)
            return NumPyStorage.Integer;
        var magnitude = Math.Abs(value);
        if (magnitude < 65000)
            return NumPyStorage.Half;
        return magnitude < 3.4e38 ? NumPyStorage.Single : NumPyStorage.Double;
    }

    /// <summary>Rounds an exactly representable result to the dtype (NumPy rounds to nearest, ties to even).</summary>
    public static double Round(this NumPyStorage storage, double value) => storage switch
    {
        NumPyStorage.Half => (double)(Half)value,
        NumPyStorage.Single => (float)value,
        _ => value,
    };

    /// <summary>
    /// The dtype in which an array of this dtype is compared with a float64 scalar: value-based casting lets the
    /// scalar shrink to its own minimal float type, so a float16 table is compared in float16 when it can be.
    /// </summary>
    public static NumPyStorage ComparisonWith(this NumPyStorage storage, double scalar) => storage switch
    {
        NumPyStorage.Half => MinScalarType(scalar, isInteger: false) == NumPyStorage.Half ? NumPyStorage.Half : NumPyStorage.Single,
        NumPyStorage.Single => NumPyStorage.Single,
        _ => NumPyStorage.Double,
    };

    /// <summary>
    /// <c>np.sum</c> of an array of this dtype: float16 and float32 are summed in float32, buffer by buffer and
    /// pairwise within a buffer as NumPy does, and the total rounded to the dtype; integer and float64 tables use
    /// the float64 sum.
    /// </summary>
    public static double Sum(this NumPyStorage storage, ReadOnlySpan<double> values)
    {
        if (storage is not (NumPyStorage.Half or NumPyStorage.Single))
            return PairwiseSum.Sum(values);
        var total = 0f;
        for (var start = 0; start < values.Length; start += PairwiseSum.BufferSize)
        {
            total += SinglePairwiseSum(values.Slice(start, Math.Min(PairwiseSum.BufferSize, values.Length - start)));
            // A float16 accumulator is stored back as float16 after every buffer.
            if (storage == NumPyStorage.Half)
                total = (float)(Half)total;
        }
        return storage.Round(total);
    }

    private static float SinglePairwiseSum(ReadOnlySpan<double> values)
    {
        if (values.Length < 8)
        {
            var small = 0f;
            foreach (var value in values)
                small += (float)value;
            return small;
        }
        if (values.Length <= 128)
        {
            Span<float> r = stackalloc float[8];
            for (var k = 0; k < 8; k++)
                r[k] = (float)values[k];
            var i = 8;
            for (; i < values.Length - (values.Length % 8); i += 8)
            {
                for (var k = 0; k < 8; k++)
                    r[k] += (float)values[i + k];
            }
            var total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < values.Length; i++)
                total += (float)values[i];
            return total;
        }
        var half = values.Length / 2;
        half -= half % 8;
        return SinglePairwiseSum(values[..half]) + SinglePairwiseSum(values[half..]);
    }
}
