using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Protocols.Oip;

/// <summary>
/// The request side of the binary tensor extension: a JSON header of <c>Inference-Header-Content-Length</c> bytes,
/// then each input that has a <c>binary_data_size</c> parameter, in input order, little-endian and row-major; a BYTES
/// element is a 4-byte little-endian length and its bytes, a BOOL element one byte. A header length of 0 makes the
/// whole body the raw data of a single-input model.
/// </summary>
internal static class OipBinaryReader
{
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    /// <summary>The JSON header length, or null without the header; anything but an integer within the body is a 400.</summary>
    public static int? ParseHeaderLength(string? value, int bodyLength)
    {
        if (value is null)
            return null;
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > bodyLength)
            throw Invalid($"{HeaderLengthHeader} must be an integer between 0 and the body length ({bodyLength}), got '{value}'.");
        return length;
    }

    /// <summary>Fills every input that declared <c>binary_data_size</c> from <paramref name="binary"/>, which must be used up exactly.</summary>
    public static void AttachBinaryInputs(OipInferRequest request, ReadOnlySpan<byte> binary)
    {
        var offset = 0;
        foreach (var input in request.Inputs)
        {
            if (input.BinaryDataSize is not { } size)
                continue;
            if (size > binary.Length - offset)
                throw Invalid($"Input '{input.Name}': binary_data_size {size} runs past the end of the body ({binary.Length - offset} bytes of binary data left).");
            input.Data = Decode(input.Name, input.DataType, input.Shape, input.ElementCount, binary.Slice(offset, (int)size));
            offset += (int)size;
        }
        if (offset != binary.Length)
            throw Invalid($"{binary.Length - offset} bytes of binary data follow the last input's binary_data_size.");
    }

    /// <summary>A raw request (header length 0): the body is the one input of the model, shaped from its signature.</summary>
    public static OipInferRequest ReadRawInput(ReadOnlySpan<byte> body, IInferenceTarget target, OipOptions options)
    {
        var signature = target.Signature
            ?? throw new SlipwayException(ErrorCode.TemporarilyUnavailable, $"Model '{target.Name}' is not loaded yet.");
        if (signature.Inputs.Count != 1)
            throw Invalid($"A raw binary request ({HeaderLengthHeader}: 0) needs a model with one input; '{target.Name}' has {signature.Inputs.Count}.");
        var spec = signature.Inputs[0];
        var elements = spec.DataType == TensorDataType.Bytes
            ? CountBytesElements(body, spec.Name)
            : body.Length % spec.DataType.ElementSize() == 0
                ? body.Length / spec.DataType.ElementSize()
                : throw Invalid($"Input '{spec.Name}': {body.Length} bytes is not a whole number of {spec.DataType.WireName()} elements.");
        var shape = ShapeFor(spec, elements);
        var count = OipJsonReader.CheckedElementCount(shape, spec.Name, options);
        var request = new OipInferRequest();
        request.Inputs.Add(new OipInput(spec.Name, spec.DataType, shape, count) { Data = Decode(spec.Name, spec.DataType, shape, count, body) });
        return request;
    }

    /// <summary>The signature's shape with its one variable dimension (if any) worked out from the element count.</summary>
    private static long[] ShapeFor(TensorSpec spec, long elements)
    {
        var shape = (long[])spec.Shape.Clone();
        long known = 1;
        var variable = -1;
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] >= 0)
                known *= shape[i];
            else if (variable < 0)
                variable = i;
            else
                throw Invalid($"Input '{spec.Name}' has more than one variable dimension {OipJsonReader.FormatShape(spec.Shape)}; send a JSON header with its shape.");
        }
        if (variable >= 0 && known > 0 && elements % known == 0)
            shape[variable] = elements / known;
        else if (variable >= 0 && known == 0 && elements == 0)
            shape[variable] = 0;
        else if (variable >= 0 || known != elements)
            throw Invalid($"Input '{spec.Name}': {elements} elements do not fit shape {OipJsonReader.FormatShape(spec.Shape)}.");
        return shape;
    }

    private static int CountBytesElements(ReadOnlySpan<byte> data, string input)
    {
        var count = 0;
        while (!data.IsEmpty)
        {
            data = data[(4 + ElementLength(data, input, count))..];
            count++;
        }
        return count;
    }

    private static Array Decode(string input, TensorDataType type, long[] shape, long count, ReadOnlySpan<byte> data)
    {
        if (type == TensorDataType.Bytes)
            return DecodeBytes(input, count, data);
        var expected = count * type.ElementSize();
        if (data.Length != expected)
            throw Invalid($"Input '{input}': binary_data_size is {data.Length} bytes, but shape {OipJsonReader.FormatShape(shape)} of {type.WireName()} takes {expected}.");
        var n = (int)count;
        return type switch
        {
            TensorDataType.Bool => data.IndexOfAnyExcept((byte)0, (byte)1) is var bad and >= 0
                ? throw Invalid($"Input '{input}': BOOL element {bad} is {data[bad]}; binary BOOL elements must be 0 or 1.")
                : Copy<bool>(data, n),
            TensorDataType.UInt8 => Copy<byte>(data, n),
            TensorDataType.UInt16 or TensorDataType.Bf16 => Copy<ushort>(data, n),
            TensorDataType.UInt32 => Copy<uint>(data, n),
            TensorDataType.UInt64 => Copy<ulong>(data, n),
            TensorDataType.Int8 => Copy<sbyte>(data, n),
            TensorDataType.Int16 => Copy<short>(data, n),
            TensorDataType.Int32 => Copy<int>(data, n),
            TensorDataType.Int64 => Copy<long>(data, n),
            TensorDataType.Fp16 => Copy<Half>(data, n),
            TensorDataType.Fp32 => Copy<float>(data, n),
            _ => Copy<double>(data, n),
        };
    }

    /// <summary>The wire is little-endian, as is every platform .NET runs on, so elements are copied as they lie.</summary>
    private static T[] Copy<T>(ReadOnlySpan<byte> data, int count)
        where T : unmanaged
    {
        var array = new T[count];
        data.CopyTo(MemoryMarshal.AsBytes(array.AsSpan()));
        return array;
    }

    private static byte[][] DecodeBytes(string input, long count, ReadOnlySpan<byte> data)
    {
        // Every element has a 4-byte length, so a count the data cannot hold is refused before the array exists.
        if (count > data.Length / 4)
            throw Invalid($"Input '{input}': {data.Length} bytes cannot hold {count} BYTES elements.");
        var elements = new byte[count][];
        var remaining = data;
        for (var i = 0; i < elements.Length; i++)
        {
            var length = ElementLength(remaining, input, i);
            elements[i] = remaining.Slice(4, length).ToArray();
            remaining = remaining[(4 + length)..];
        }
        if (!remaining.IsEmpty)
            throw Invalid($"Input '{input}': {remaining.Length} bytes follow its {count} BYTES elements.");
        return elements;
    }

    private static int ElementLength(ReadOnlySpan<byte> data, string input, int index)
    {
        if (data.Length < 4)
            throw Invalid($"Input '{input}': BYTES element {index} is cut off in its 4-byte length.");
        var length = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (length > (uint)(data.Length - 4))
            throw Invalid($"Input '{input}': BYTES element {index} declares {length} bytes, but only {data.Length - 4} remain.");
        return (int)length;
    }

    private static SlipwayException Invalid(string message) => SlipwayException.InvalidParameter(message);
}
