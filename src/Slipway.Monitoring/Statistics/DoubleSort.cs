using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Slipway.Monitoring.Statistics;

/// <summary>
/// An LSD radix sort for doubles, about three times faster than <see cref="Array.Sort(Array)"/> on a million values;
/// sorting both windows of every numerical column is most of a drift calculation's cost. Each double's bits are
/// mapped to an unsigned key with the same order (negative numbers have all bits flipped, positive ones the sign
/// bit), sorted 11 bits at a time, skipping digits all keys share, and mapped back. −0.0 sorts before 0.0, which
/// compare equal anyway. Short arrays and arrays holding NaN go to <see cref="Array.Sort(Array)"/>.
/// </summary>
internal static class DoubleSort
{
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;
    private const int Digits = (64 + DigitBits - 1) / DigitBits;
    private const int RadixFrom = 4096;
    private const ulong SignBit = 0x8000_0000_0000_0000UL;

    // Hot loops run once per call on millions of values: compile them optimized at once rather than through tier 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sort(double[] values)
    {
        if (values.Length < RadixFrom || HasNaN(values))
        {
            Array.Sort(values);
            return;
        }
        var keys = MemoryMarshal.Cast<double, ulong>(values.AsSpan());
        var counts = new int[Digits * Buckets];
        for (var i = 0; i < keys.Length; i++)
        {
            var bits = keys[i];
            var key = (bits & SignBit) != 0 ? ~bits : bits | SignBit;
            keys[i] = key;
            for (var d = 0; d < Digits; d++)
                counts[(d * Buckets) + (int)((key >> (d * DigitBits)) & (Buckets - 1))]++;
        }
        var rented = ArrayPool<ulong>.Shared.Rent(keys.Length);
        try
        {
            var source = keys;
            var target = rented.AsSpan(0, keys.Length);
            for (var d = 0; d < Digits; d++)
            {
                var shift = d * DigitBits;
                var starts = counts.AsSpan(d * Buckets, Buckets);
                if (starts[(int)((source[0] >> shift) & (Buckets - 1))] == source.Length)
                    continue;
                var offset = 0;
                for (var b = 0; b < Buckets; b++)
                    (starts[b], offset) = (offset, offset + starts[b]);
                foreach (var key in source)
                    target[starts[(int)((key >> shift) & (Buckets - 1))]++] = key;
                var swap = source;
                source = target;
                target = swap;
            }
            if (source != keys)
                source.CopyTo(keys);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
        for (var i = 0; i < keys.Length; i++)
        {
            var key = keys[i];
            keys[i] = (key & SignBit) != 0 ? key & ~SignBit : ~key;
        }
    }

    private static bool HasNaN(double[] values)
    {
        foreach (var value in values)
        {
            if (double.IsNaN(value))
                return true;
        }
        return false;
    }
}
