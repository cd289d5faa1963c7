using System.Text;
using System.Text.Json;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Protocols.Oip;

internal static partial class OipJsonReader
{
    /// <summary>Reads flat or nested row-major <c>data</c> into a new array of the datatype's CLR type.</summary>
    private static Array ReadData(ref Utf8JsonReader reader, string input, TensorDataType type, long[] shape, long count, int bodyLength)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Invalid($"Input '{input}': 'data' must be an array.");
        // n elements take at least 2n + 1 bytes of JSON ("[0,0]"): a shape the body cannot hold is refused before its
        // array is allocated, so a few bytes of request can never reserve the full per-tensor limit.
        if (count > (bodyLength - 1) / 2)
            throw Invalid($"Input '{input}': shape {FormatShape(shape)} needs {count} elements, more than a {bodyLength}-byte request can hold.");
        var n = (int)count;
        return type switch
        {
            TensorDataType.Bool => Fill<bool, BoolElement>(ref reader, new bool[n], input, type, shape),
            TensorDataType.UInt8 => Fill<byte, UInt8Element>(ref reader, new byte[n], input, type, shape),
            TensorDataType.UInt16 => Fill<ushort, UInt16Element>(ref reader, new ushort[n], input, type, shape),
            TensorDataType.UInt32 => Fill<uint, UInt32Element>(ref reader, new uint[n], input, type, shape),
            TensorDataType.UInt64 => Fill<ulong, UInt64Element>(ref reader, new ulong[n], input, type, shape),
            TensorDataType.Int8 => Fill<sbyte, Int8Element>(ref reader, new sbyte[n], input, type, shape),
            TensorDataType.Int16 => Fill<short, Int16Element>(ref reader, new short[n], input, type, shape),
            TensorDataType.Int32 => Fill<int, Int32Element>(ref reader, new int[n], input, type, shape),
            TensorDataType.Int64 => Fill<long, Int64Element>(ref reader, new long[n], input, type, shape),
            TensorDataType.Fp16 => Fill<Half, Fp16Element>(ref reader, new Half[n], input, type, shape),
            TensorDataType.Fp32 => Fill<float, Fp32Element>(ref reader, new float[n], input, type, shape),
            TensorDataType.Fp64 => Fill<double, Fp64Element>(ref reader, new double[n], input, type, shape),
            TensorDataType.Bf16 => Fill<ushort, Bf16Element>(ref reader, new ushort[n], input, type, shape),
            _ => Fill<byte[], BytesElement>(ref reader, new byte[n][], input, type, shape),
        };
    }

    /// <summary>
    /// Walks the array and its nested arrays in document order, which is row-major order. The element reader is a
    /// struct type argument, so each datatype gets its own compiled loop with the element read inlined.
    /// </summary>
    private static T[] Fill<T, TElement>(ref Utf8JsonReader reader, T[] target, string input, TensorDataType type, long[] shape)
        where TElement : struct, IJsonElement<T>
    {
        // Flat data (one list of elements) is always allowed; nested data must follow the shape exactly: the list at
        // depth d holds shape[d-1] entries, and elements sit only at the innermost depth.
        const int MaxDepth = 34;
        Span<long> entries = stackalloc long[MaxDepth];
        entries.Clear();
        var depth = 1;
        var count = 0;
        bool? nested = null;
        while (depth > 0)
        {
            reader.Read();
            var token = reader.TokenType;
            if (token == JsonTokenType.StartArray)
            {
                nested ??= true;
                if (nested == false || depth >= shape.Length || depth + 1 >= MaxDepth)
                    throw Ragged(input, shape);
                entries[depth]++;
                depth++;
                entries[depth] = 0;
            }
            else if (token == JsonTokenType.EndArray)
            {
                if (nested == true && entries[depth] != shape[depth - 1])
                    throw Ragged(input, shape);
                depth--;
            }
            else
            {
                nested ??= false;
                if (nested == true && depth != shape.Length)
                    throw Ragged(input, shape);
                if (count == target.Length)
                    throw Invalid($"Input '{input}': 'data' has more than {target.Length} elements; shape {FormatShape(shape)} needs {target.Length}.");
                if (!TElement.TryRead(ref reader, out target[count]))
                    throw BadElement(ref reader, input, type, count, TElement.Expected);
                entries[depth]++;
                count++;
            }
        }
        if (count != target.Length)
            throw Invalid($"Input '{input}': 'data' has {count} elements; shape {FormatShape(shape)} needs {target.Length}.");
        return target;
    }

    private static SlipwayException Ragged(string input, long[] shape) =>
        Invalid($"Input '{input}': nested 'data' does not follow shape {FormatShape(shape)}; send it flat (row-major) or nested exactly as the shape.");

    private static SlipwayException BadElement(ref Utf8JsonReader reader, string input, TensorDataType type, int index, string expected)
    {
        var found = reader.TokenType switch
        {
            JsonTokenType.Number when type is TensorDataType.Bool or TensorDataType.Bytes => "a number",
            JsonTokenType.Number => null,
            JsonTokenType.String => "a string",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            JsonTokenType.Null => "null",
            JsonTokenType.StartObject => "an object",
            var other => other.ToString(),
        };
        if (found is not null)
            return Invalid($"Input '{input}': data element {index} is {found}, but {type.WireName()} data must be {expected}.");
        var span = reader.ValueSpan;
        var text = Encoding.UTF8.GetString(span[..Math.Min(span.Length, 40)]) + (span.Length > 40 ? "…" : "");
        return Invalid($"Input '{input}': data element {index} ({text}) is not a valid {type.WireName()} value.");
    }
}
