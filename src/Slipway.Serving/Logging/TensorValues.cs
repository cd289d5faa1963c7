using System.Numerics;
using System.Text;
using System.Text.Json;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Logging;

/// <summary>Reads tensor elements for the log: as JSON values (nested lists) and as doubles for the flat feature columns.</summary>
internal static class TensorValues
{
    /// <summary>
    /// Writes <paramref name="count"/> elements from <paramref name="offset"/> shaped as <paramref name="shape"/>: a
    /// bare value for a scalar shape, nested arrays otherwise. Non-finite floats become the strings "NaN",
    /// "Infinity" and "-Infinity" (as MLflow writes them); BYTES become UTF-8 strings.
    /// </summary>
    public static void WriteJson(Utf8JsonWriter writer, Tensor tensor, ReadOnlySpan<long> shape, long offset)
    {
        var index = offset;
        WriteNested(writer, tensor, shape, ref index);
    }

    public static bool IsNumeric(TensorDataType type) => type != TensorDataType.Bytes;

    /// <summary>
    /// Copies a row-major [rows, width] block into column arrays: <c>columns[j][firstRow + i] = tensor[i, j]</c>.
    /// Only for numeric tensors (see <see cref="IsNumeric"/>).
    /// </summary>
    public static void CopyToColumns(Tensor tensor, int rows, int width, double[][] columns, int firstRow)
    {
        switch (tensor.DataType)
        {
            case TensorDataType.Bool:
                var flags = (bool[])tensor.Data;
                for (var i = 0; i < rows; i++)
                {
                    for (var j = 0; j < width; j++)
                        columns[j][firstRow + i] = flags[(i * width) + j] ? 1 : 0;
                }
                break;
            case TensorDataType.Bf16:
                var bits = (ushort[])tensor.Data;
                for (var i = 0; i < rows; i++)
                {
                    for (var j = 0; j < width; j++)
                        columns[j][firstRow + i] = Bf16ToSingle(bits[(i * width) + j]);
                }
                break;
            default:
                switch (tensor.Data)
                {
                    case float[] data: Copy(data, rows, width, columns, firstRow); break;
                    case double[] data: Copy(data, rows, width, columns, firstRow); break;
                    case long[] data: Copy(data, rows, width, columns, firstRow); break;
                    case int[] data: Copy(data, rows, width, columns, firstRow); break;
                    case short[] data: Copy(data, rows, width, columns, firstRow); break;
                    case sbyte[] data: Copy(data, rows, width, columns, firstRow); break;
                    case ulong[] data: Copy(data, rows, width, columns, firstRow); break;
                    case uint[] data: Copy(data, rows, width, columns, firstRow); break;
                    case ushort[] data: Copy(data, rows, width, columns, firstRow); break;
                    case byte[] data: Copy(data, rows, width, columns, firstRow); break;
                    case Half[] data: Copy(data, rows, width, columns, firstRow); break;
                    default: throw new InvalidOperationException($"Tensor '{tensor.Name}' holds {tensor.Data.GetType().Name}, not {tensor.DataType.WireName()} data.");
                }
                break;
        }
    }

    private static void Copy<T>(T[] data, int rows, int width, double[][] columns, int firstRow) where T : INumberBase<T>
    {
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < width; j++)
                columns[j][firstRow + i] = double.CreateTruncating(data[(i * width) + j]);
        }
    }

    private static void WriteNested(Utf8JsonWriter writer, Tensor tensor, ReadOnlySpan<long> shape, ref long index)
    {
        if (shape.IsEmpty)
        {
            WriteElement(writer, tensor, index++);
            return;
        }
        writer.WriteStartArray();
        for (long k = 0; k < shape[0]; k++)
            WriteNested(writer, tensor, shape[1..], ref index);
        writer.WriteEndArray();
    }

    private static void WriteElement(Utf8JsonWriter writer, Tensor tensor, long index)
    {
        switch (tensor.DataType)
        {
            case TensorDataType.Bool: writer.WriteBooleanValue(((bool[])tensor.Data)[index]); break;
            case TensorDataType.UInt8: writer.WriteNumberValue(((byte[])tensor.Data)[index]); break;
            case TensorDataType.UInt16: writer.WriteNumberValue(((ushort[])tensor.Data)[index]); break;
            case TensorDataType.UInt32: writer.WriteNumberValue(((uint[])tensor.Data)[index]); break;
            case TensorDataType.UInt64: writer.WriteNumberValue(((ulong[])tensor.Data)[index]); break;
            case TensorDataType.Int8: writer.WriteNumberValue(((sbyte[])tensor.Data)[index]); break;
            case TensorDataType.Int16: writer.WriteNumberValue(((short[])tensor.Data)[index]); break;
            case TensorDataType.Int32: writer.WriteNumberValue(((int[])tensor.Data)[index]); break;
            case TensorDataType.Int64: writer.WriteNumberValue(((long[])tensor.Data)[index]); break;
            case TensorDataType.Fp16: WriteFloat(writer, (float)((Half[])tensor.Data)[index]); break;
            case TensorDataType.Bf16: WriteFloat(writer, Bf16ToSingle(((ushort[])tensor.Data)[index])); break;
            case TensorDataType.Fp32: WriteFloat(writer, ((float[])tensor.Data)[index]); break;
            case TensorDataType.Fp64: WriteDouble(writer, ((double[])tensor.Data)[index]); break;
            default: writer.WriteStringValue(Encoding.UTF8.GetString(((byte[][])tensor.Data)[index])); break;
        }
    }

    // float overloads keep FP32 values short ("0.1", not "0.10000000149011612").
    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteStringValue(NonFinite(value));
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteStringValue(NonFinite(value));
    }

    private static string NonFinite(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

    private static float Bf16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);
}
