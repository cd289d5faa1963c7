using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Protocols.Grpc;

/// <summary>
/// The raw tensor layout of <c>raw_input_contents</c> / <c>raw_output_contents</c> (and of the binary tensor
/// extension): little-endian, row-major, no padding; BOOL is one byte per element, and each BYTES element is a
/// 4-byte little-endian length followed by its bytes.
/// </summary>
internal static class RawTensorCodec
{
    /// <summary>Reads <paramref name="count"/> elements; the size must match exactly (checked before allocating).</summary>
    public static Array Decode(string input, TensorDataType type, int count, ReadOnlySpan<byte> raw)
    {
        if (type == TensorDataType.Bytes)
            return DecodeBytes(input, count, raw);
        var expected = (long)count * type.ElementSize();
        if (raw.Length != expected)
            throw SlipwayException.InvalidParameter(
                $"Input '{input}' has {raw.Length} bytes of raw contents but its datatype and shape need {expected}.");
        return type switch
        {
            TensorDataType.Bool => DecodeBool(raw),
            TensorDataType.UInt8 => raw.ToArray(),
            TensorDataType.Int8 => Fill(new sbyte[count], raw, 1),
            TensorDataType.UInt16 or TensorDataType.Bf16 => Fill(new ushort[count], raw, 2),
            TensorDataType.Int16 => Fill(new short[count], raw, 2),
            TensorDataType.Fp16 => Fill(new Half[count], raw, 2),
            TensorDataType.UInt32 => Fill(new uint[count], raw, 4),
            TensorDataType.Int32 => Fill(new int[count], raw, 4),
            TensorDataType.Fp32 => Fill(new float[count], raw, 4),
            TensorDataType.UInt64 => Fill(new ulong[count], raw, 8),
            TensorDataType.Int64 => Fill(new long[count], raw, 8),
            _ => Fill(new double[count], raw, 8),
        };
    }

    public static ByteString Encode(Tensor tensor) => tensor.DataType switch
    {
        TensorDataType.Bytes => EncodeBytes((byte[][])tensor.Data),
        TensorDataType.Bool => EncodeBool((bool[])tensor.Data),
        var type => EncodeFixed(tensor.Data, type.ElementSize()),
    };

    private static Array Fill(Array data, ReadOnlySpan<byte> raw, int elementSize)
    {
        var target = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(data), raw.Length);
        raw.CopyTo(target);
        if (!BitConverter.IsLittleEndian)
            SwapByteOrder(target, elementSize);
        return data;
    }

    private static bool[] DecodeBool(ReadOnlySpan<byte> raw)
    {
        // Copied one by one: a byte other than 0 or 1 must still read as a well-formed bool.
        var data = new bool[raw.Length];
        for (var i = 0; i < raw.Length; i++)
            data[i] = raw[i] != 0;
        return data;
    }

    private static byte[][] DecodeBytes(string input, int count, ReadOnlySpan<byte> raw)
    {
        // Every element needs its 4-byte length: rejects a huge shape before allocating the element array.
        if (count > raw.Length / 4)
            throw SlipwayException.InvalidParameter(
                $"Input '{input}' has {raw.Length} bytes of raw contents, too few for {count} length-prefixed BYTES elements.");
        var data = new byte[count][];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            if (raw.Length - offset < 4)
                throw TruncatedBytes(input, i);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(raw[offset..]);
            offset += 4;
            if (length > (uint)(raw.Length - offset))
                throw TruncatedBytes(input, i);
            data[i] = raw.Slice(offset, (int)length).ToArray();
            offset += (int)length;
        }
        if (offset != raw.Length)
            throw SlipwayException.InvalidParameter(
                $"Input '{input}' has {raw.Length - offset} bytes of raw contents after its {count} BYTES elements.");
        return data;
    }

    private static SlipwayException TruncatedBytes(string input, int element) =>
        SlipwayException.InvalidParameter($"Input '{input}' raw contents end inside BYTES element {element}.");

    private static ByteString EncodeFixed(Array data, int elementSize)
    {
        var source = MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(data), data.Length * elementSize);
        var bytes = source.ToArray();
        if (!BitConverter.IsLittleEndian)
            SwapByteOrder(bytes, elementSize);
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    private static ByteString EncodeBool(bool[] flags)
    {
        var bytes = new byte[flags.Length];
        for (var i = 0; i < flags.Length; i++)
            bytes[i] = flags[i] ? (byte)1 : (byte)0;
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    private static ByteString EncodeBytes(byte[][] elements)
    {
        long size = 0;
        foreach (var element in elements)
            size += 4 + element.Length;
        var bytes = new byte[checked((int)size)];
        var offset = 0;
        foreach (var element in elements)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), (uint)element.Length);
            element.CopyTo(bytes, offset + 4);
            offset += 4 + element.Length;
        }
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    /// <summary>Little-endian to host order or back (the same swap); only runs on big-endian hosts.</summary>
    private static void SwapByteOrder(Span<byte> bytes, int elementSize)
    {
        switch (elementSize)
        {
            case 2:
                var halves = MemoryMarshal.Cast<byte, ushort>(bytes);
                BinaryPrimitives.ReverseEndianness(halves, halves);
                break;
            case 4:
                var words = MemoryMarshal.Cast<byte, uint>(bytes);
                BinaryPrimitives.ReverseEndianness(words, words);
                break;
            case 8:
                var longs = MemoryMarshal.Cast<byte, ulong>(bytes);
                BinaryPrimitives.ReverseEndianness(longs, longs);
                break;
        }
    }
}
