using Slipway.Serving.Inference;

namespace Slipway.Serving.Endpoints;

/// <summary>
/// Whether a shadow's answer matches the primary's: same outputs, shapes and types; floating-point values within a
/// relative 1e-6 (two runtimes rarely agree to the last bit), everything else (labels, integers, strings) exactly.
/// </summary>
internal static class ShadowComparer
{
    private const double RelativeTolerance = 1e-6;

    public static bool Agree(IReadOnlyList<Tensor> primary, IReadOnlyList<Tensor> shadow)
    {
        if (primary.Count != shadow.Count)
            return false;
        for (var i = 0; i < primary.Count; i++)
        {
            var a = primary[i];
            var b = FindByName(shadow, a.Name);
            if (b is null || a.DataType != b.DataType || !a.Shape.AsSpan().SequenceEqual(b.Shape) || !DataAgree(a.DataType, a.Data, b.Data))
                return false;
        }
        return true;
    }

    private static Tensor? FindByName(IReadOnlyList<Tensor> tensors, string name)
    {
        foreach (var tensor in tensors)
        {
            if (tensor.Name == name)
                return tensor;
        }
        return null;
    }

    private static bool DataAgree(TensorDataType type, Array a, Array b) => type switch
    {
        TensorDataType.Fp32 => Close((float[])a, (float[])b),
        TensorDataType.Fp64 => Close((double[])a, (double[])b),
        TensorDataType.Fp16 => Close((Half[])a, (Half[])b),
        TensorDataType.Bool => Same<bool>(a, b),
        TensorDataType.UInt8 => Same<byte>(a, b),
        TensorDataType.UInt16 or TensorDataType.Bf16 => Same<ushort>(a, b),
        TensorDataType.UInt32 => Same<uint>(a, b),
        TensorDataType.UInt64 => Same<ulong>(a, b),
        TensorDataType.Int8 => Same<sbyte>(a, b),
        TensorDataType.Int16 => Same<short>(a, b),
        TensorDataType.Int32 => Same<int>(a, b),
        TensorDataType.Int64 => Same<long>(a, b),
        _ => SameBytes((byte[][])a, (byte[][])b),
    };

    private static bool Same<T>(Array a, Array b) where T : IEquatable<T> =>
        ((T[])a).AsSpan().SequenceEqual((T[])b);

    private static bool SameBytes(byte[][] a, byte[][] b)
    {
        if (a.Length != b.Length)
            return false;
        for (var i = 0; i < a.Length; i++)
        {
            if (!a[i].AsSpan().SequenceEqual(b[i]))
                return false;
        }
        return true;
    }

    private static bool Close<T>(T[] a, T[] b) where T : IConvertible
    {
        if (a.Length != b.Length)
            return false;
        for (var i = 0; i < a.Length; i++)
        {
            if (!Close(a[i].ToDouble(null), b[i].ToDouble(null)))
                return false;
        }
        return true;
    }

    private static bool Close(Half[] a, Half[] b)
    {
        if (a.Length != b.Length)
            return false;
        for (var i = 0; i < a.Length; i++)
        {
            if (!Close((double)a[i], (double)b[i]))
                return false;
        }
        return true;
    }

    internal static bool Close(double x, double y)
    {
        if (x == y || (double.IsNaN(x) && double.IsNaN(y)))
            return true;
        return Math.Abs(x - y) <= RelativeTolerance * Math.Max(Math.Abs(x), Math.Abs(y));
    }
}
