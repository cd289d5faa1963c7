namespace Slipway.Serving.Inference;

/// <summary>The Open Inference Protocol's tensor datatypes.</summary>
public enum TensorDataType
{
    Bool,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Int8,
    Int16,
    Int32,
    Int64,
    Fp16,
    Fp32,
    Fp64,
    Bytes,
    Bf16,
}

public static class TensorDataTypes
{
    private static readonly string[] WireNames =
        ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES", "BF16"];

    /// <summary>The OIP name, e.g. <c>FP32</c>.</summary>
    public static string WireName(this TensorDataType type) => WireNames[(int)type];

    public static bool TryParse(string? name, out TensorDataType type)
    {
        var index = name is null ? -1 : Array.IndexOf(WireNames, name);
        type = index < 0 ? default : (TensorDataType)index;
        return index >= 0;
    }

    /// <summary>Bytes per element in the binary layout; 0 for BYTES (variable length, each element length-prefixed).</summary>
    public static int ElementSize(this TensorDataType type) => type switch
    {
        TensorDataType.Bool or TensorDataType.UInt8 or TensorDataType.Int8 => 1,
        TensorDataType.UInt16 or TensorDataType.Int16 or TensorDataType.Fp16 or TensorDataType.Bf16 => 2,
        TensorDataType.UInt32 or TensorDataType.Int32 or TensorDataType.Fp32 => 4,
        TensorDataType.UInt64 or TensorDataType.Int64 or TensorDataType.Fp64 => 8,
        _ => 0,
    };

    /// <summary>
    /// The CLR array type that holds a tensor's data: <c>bool[]</c>, <c>byte[]</c>, <c>ushort[]</c>, <c>uint[]</c>,
    /// <c>ulong[]</c>, <c>sbyte[]</c>, <c>short[]</c>, <c>int[]</c>, <c>long[]</c>, <c>Half[]</c>, <c>float[]</c>,
    /// <c>double[]</c>, <c>byte[][]</c> for BYTES, and <c>ushort[]</c> (raw bits) for BF16.
    /// </summary>
    public static Type ArrayType(this TensorDataType type) => type switch
    {
        TensorDataType.Bool => typeof(bool[]),
        TensorDataType.UInt8 => typeof(byte[]),
        TensorDataType.UInt16 or TensorDataType.Bf16 => typeof(ushort[]),
        TensorDataType.UInt32 => typeof(uint[]),
        TensorDataType.UInt64 => typeof(ulong[]),
        TensorDataType.Int8 => typeof(sbyte[]),
        TensorDataType.Int16 => typeof(short[]),
        TensorDataType.Int32 => typeof(int[]),
        TensorDataType.Int64 => typeof(long[]),
        TensorDataType.Fp16 => typeof(Half[]),
        TensorDataType.Fp32 => typeof(float[]),
        TensorDataType.Fp64 => typeof(double[]),
        _ => typeof(byte[][]),
    };
}

/// <summary>
/// A named tensor: row-major <see cref="Data"/> (an array of <see cref="TensorDataTypes.ArrayType"/>) with
/// <see cref="Shape"/>; the element count of the data always equals the product of the shape.
/// </summary>
public sealed class Tensor(string name, TensorDataType dataType, long[] shape, Array data)
{
    public string Name { get; } = name;

    public TensorDataType DataType { get; } = dataType;

    public long[] Shape { get; } = shape;

    public Array Data { get; } = data;

    /// <summary>Product of the shape (1 for a scalar).</summary>
    public long ElementCount => ShapeMath.ElementCount(Shape);
}

public static class ShapeMath
{
    /// <summary>
    /// The most elements one tensor of a request may have (64 MiB of FP32). Every protocol adapter checks a declared
    /// shape against it before allocating, and the endpoint checks decoded inputs against it again.
    /// </summary>
    public const int MaxElements = 16_777_216;

    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
            count = checked(count * dim);
        return count;
    }
}

/// <summary>An input or output as a model declares it; <c>-1</c> marks a variable dimension.</summary>
public sealed record TensorSpec(string Name, TensorDataType DataType, long[] Shape);

/// <summary>What a model takes and returns, from the ONNX graph or the MLflow signature.</summary>
public sealed record ModelSignature(IReadOnlyList<TensorSpec> Inputs, IReadOnlyList<TensorSpec> Outputs);
