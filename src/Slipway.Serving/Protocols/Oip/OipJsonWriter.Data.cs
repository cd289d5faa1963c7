using System.Globalization;
using System.Text.Json;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Protocols.Oip;

internal static partial class OipJsonWriter
{
    /// <summary>Writes elements [start, end) of the tensor's row-major data as JSON values.</summary>
    private static void WriteData(Utf8JsonWriter writer, Tensor tensor, int start, int end)
    {
        switch (tensor.DataType)
        {
            case TensorDataType.Bool:
                foreach (var value in ((bool[])tensor.Data).AsSpan(start, end - start))
                    writer.WriteBooleanValue(value);
                break;
            case TensorDataType.UInt8:
                foreach (var value in ((byte[])tensor.Data).AsSpan(start, end - start))
                    writer.WriteNumberValue(value);
                break;
            case TensorDataType.UInt16:
                foreach (var value in ((ushort[])tensor.Data).AsSpan(start, end - start))
                    writer.WriteNumberValue(value);
                break;
            case TensorDataType.UInt32:
                foreach (var value in ((uint[])tensor.Data).AsSpan(start, end - start))
                    writer.WriteNumberValue(value);
                break;
            case TensorDataType.UInt64:
                foreach (var value in ((ulong[])tensor.Data).AsSpan(start, end - start))
                    writer.WriteNumberValue(value);
                break;
            case TensorDataType.Int8:
                foreach (var value in ((sbyte[])tensor.Data).AsSpan(start, end - start))
                    writer.WriteNumberValue(value);
                break;
            case TensorDataType.Int16:
                foreach (var value in ((short[])tensor.Data).AsSpan(start, end - start))
                    writer.WriteNumberValue(value);
                break;
            case TensorDataType.Int32:
                foreach (var value in ((int[])tensor.Data).AsSpan(start, end - start))
                    writer.WriteNumberValue(value);
                break;
            case TensorDataType.Int64:
                foreach (var value in ((long[])tensor.Data).AsSpan(start, end - start))
                    writer.WriteNumberValue(value);
                break;
            case TensorDataType.Fp16:
                foreach (var value in ((Half[])tensor.Data).AsSpan(start, end - start))
                    WriteHalf(writer, value);
                break;
            case TensorDataType.Fp32:
                foreach (var value in ((float[])tensor.Data).AsSpan(start, end - start))
                    WriteSingle(writer, value);
                break;
            case TensorDataType.Fp64:
                foreach (var value in ((double[])tensor.Data).AsSpan(start, end - start))
                    WriteDouble(writer, value);
                break;
            case TensorDataType.Bf16:
                foreach (var value in ((ushort[])tensor.Data).AsSpan(start, end - start))
                    WriteSingle(writer, Bf16.ToSingle(value));
                break;
            default:
                foreach (var value in ((byte[][])tensor.Data).AsSpan(start, end - start))
                    writer.WriteStringValue(value);
                break;
        }
    }

    /// <summary>Shortest round-trip form; JSON has no NaN or infinities, so those are the strings OIP servers use.</summary>
    private static void WriteSingle(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            WriteNonFinite(writer, float.IsNaN(value), value > 0);
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            WriteNonFinite(writer, double.IsNaN(value), value > 0);
    }

    /// <summary>FP16 in its own shortest round-trip form (0.1, not the 0.099975586 its FP32 widening would print).</summary>
    private static void WriteHalf(Utf8JsonWriter writer, Half value)
    {
        if (!Half.IsFinite(value))
        {
            WriteNonFinite(writer, Half.IsNaN(value), value > Half.Zero);
            return;
        }
        Span<byte> text = stackalloc byte[32];
        value.TryFormat(text, out var length, default, CultureInfo.InvariantCulture);
        writer.WriteRawValue(text[..length], skipInputValidation: true);
    }

    private static void WriteNonFinite(Utf8JsonWriter writer, bool nan, bool positive) =>
        writer.WriteStringValue(nan ? "NaN"u8 : positive ? "Infinity"u8 : "-Infinity"u8);
}
