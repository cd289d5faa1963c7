using System.Numerics;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Protocols.Grpc;

/// <summary>
/// Tensor data in <see cref="InferTensorContents"/>: one repeated field per wire type, shared by the narrower integer
/// types (INT8/16/32 in <c>int_contents</c>, UINT8/16/32 in <c>uint_contents</c>). FP16 and BF16 have no field.
/// </summary>
internal static class TypedTensorCodec
{
    public static bool CanEncode(TensorDataType type) => type is not (TensorDataType.Fp16 or TensorDataType.Bf16);

    /// <summary>Reads <paramref name="count"/> elements; the matching field must hold exactly that many.</summary>
    public static Array Decode(string input, TensorDataType type, int count, InferTensorContents contents)
    {
        var (provided, field) = type switch
        {
            TensorDataType.Bool => (contents.BoolContents.Count, "bool_contents"),
            TensorDataType.Int8 or TensorDataType.Int16 or TensorDataType.Int32 => (contents.IntContents.Count, "int_contents"),
            TensorDataType.Int64 => (contents.Int64Contents.Count, "int64_contents"),
            TensorDataType.UInt8 or TensorDataType.UInt16 or TensorDataType.UInt32 => (contents.UintContents.Count, "uint_contents"),
            TensorDataType.UInt64 => (contents.Uint64Contents.Count, "uint64_contents"),
            TensorDataType.Fp32 => (contents.Fp32Contents.Count, "fp32_contents"),
            TensorDataType.Fp64 => (contents.Fp64Contents.Count, "fp64_contents"),
            TensorDataType.Bytes => (contents.BytesContents.Count, "bytes_contents"),
            _ => throw SlipwayException.InvalidParameter(
                $"Input '{input}' is {type.WireName()}, which has no typed contents field; send it in raw_input_contents."),
        };
        if (provided != count)
            throw SlipwayException.InvalidParameter(
                $"Input '{input}' is {type.WireName()} with {count} elements by its shape, but its {field} has {provided} values.");
        return type switch
        {
            TensorDataType.Bool => Copy(contents.BoolContents),
            TensorDataType.Int8 => Narrow<int, sbyte>(contents.IntContents, input, type),
            TensorDataType.Int16 => Narrow<int, short>(contents.IntContents, input, type),
            TensorDataType.Int32 => Copy(contents.IntContents),
            TensorDataType.Int64 => Copy(contents.Int64Contents),
            TensorDataType.UInt8 => Narrow<uint, byte>(contents.UintContents, input, type),
            TensorDataType.UInt16 => Narrow<uint, ushort>(contents.UintContents, input, type),
            TensorDataType.UInt32 => Copy(contents.UintContents),
            TensorDataType.UInt64 => Copy(contents.Uint64Contents),
            TensorDataType.Fp32 => Copy(contents.Fp32Contents),
            TensorDataType.Fp64 => Copy(contents.Fp64Contents),
            _ => CopyBytes(contents.BytesContents),
        };
    }

    /// <summary>Writes a tensor whose type <see cref="CanEncode"/>.</summary>
    public static InferTensorContents Encode(Tensor tensor)
    {
        // By datatype, not by the array's runtime type: the CLR lets byte[] pass as sbyte[] (and ushort[] as short[]…).
        var contents = new InferTensorContents();
        var data = tensor.Data;
        switch (tensor.DataType)
        {
            case TensorDataType.Bool: contents.BoolContents.AddRange((bool[])data); break;
            case TensorDataType.Int8: Widen((sbyte[])data, contents.IntContents); break;
            case TensorDataType.Int16: Widen((short[])data, contents.IntContents); break;
            case TensorDataType.Int32: contents.IntContents.AddRange((int[])data); break;
            case TensorDataType.Int64: contents.Int64Contents.AddRange((long[])data); break;
            case TensorDataType.UInt8: Widen((byte[])data, contents.UintContents); break;
            case TensorDataType.UInt16: Widen((ushort[])data, contents.UintContents); break;
            case TensorDataType.UInt32: contents.UintContents.AddRange((uint[])data); break;
            case TensorDataType.UInt64: contents.Uint64Contents.AddRange((ulong[])data); break;
            case TensorDataType.Fp32: contents.Fp32Contents.AddRange((float[])data); break;
            case TensorDataType.Fp64: contents.Fp64Contents.AddRange((double[])data); break;
            case TensorDataType.Bytes:
                var elements = (byte[][])data;
                contents.BytesContents.Capacity = elements.Length;
                foreach (var element in elements)
                    contents.BytesContents.Add(ByteString.CopyFrom(element));
                break;
            default:
                throw new InvalidOperationException($"Output '{tensor.Name}' is {tensor.DataType.WireName()}, which has no typed contents field.");
        }
        return contents;
    }

    private static T[] Copy<T>(RepeatedField<T> values)
    {
        var data = new T[values.Count];
        values.CopyTo(data, 0);
        return data;
    }

    private static byte[][] CopyBytes(RepeatedField<ByteString> values)
    {
        var data = new byte[values.Count][];
        for (var i = 0; i < data.Length; i++)
            data[i] = values[i].ToByteArray();
        return data;
    }

    private static T[] Narrow<TWire, T>(RepeatedField<TWire> values, string input, TensorDataType type)
        where TWire : INumberBase<TWire>
        where T : INumberBase<T>
    {
        var data = new T[values.Count];
        try
        {
            for (var i = 0; i < data.Length; i++)
                data[i] = T.CreateChecked(values[i]);
        }
        catch (OverflowException)
        {
            throw SlipwayException.InvalidParameter($"Input '{input}' has a value outside the {type.WireName()} range.");
        }
        return data;
    }

    private static void Widen<T, TWire>(T[] values, RepeatedField<TWire> target)
        where T : INumberBase<T>
        where TWire : INumberBase<TWire>
    {
        target.Capacity = values.Length;
        foreach (var value in values)
            target.Add(TWire.CreateTruncating(value));
    }
}
