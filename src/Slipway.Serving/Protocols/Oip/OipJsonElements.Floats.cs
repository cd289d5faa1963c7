using System.Text.Json;

namespace Slipway.Serving.Protocols.Oip;

/// <summary>Floating-point elements: JSON numbers, plus the strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c> that the writer emits.</summary>
internal static class NonFinite
{
    public static bool TryRead(ref Utf8JsonReader reader, out double value)
    {
        value = reader.ValueTextEquals("NaN"u8) ? double.NaN
            : reader.ValueTextEquals("Infinity"u8) ? double.PositiveInfinity
            : reader.ValueTextEquals("-Infinity"u8) ? double.NegativeInfinity
            : 0;
        return value != 0;
    }
}

internal readonly struct Fp32Element : IJsonElement<float>
{
    public static string Expected => "numbers";

    public static bool TryRead(ref Utf8JsonReader reader, out float value)
    {
        if (reader.TokenType == JsonTokenType.Number)
            return reader.TryGetSingle(out value) && float.IsFinite(value);
        value = 0;
        if (reader.TokenType != JsonTokenType.String || !NonFinite.TryRead(ref reader, out var special))
            return false;
        value = (float)special;
        return true;
    }
}

internal readonly struct Fp64Element : IJsonElement<double>
{
    public static string Expected => "numbers";

    public static bool TryRead(ref Utf8JsonReader reader, out double value)
    {
        if (reader.TokenType == JsonTokenType.Number)
            return reader.TryGetDouble(out value) && double.IsFinite(value);
        value = 0;
        return reader.TokenType == JsonTokenType.String && NonFinite.TryRead(ref reader, out value);
    }
}

internal readonly struct Fp16Element : IJsonElement<Half>
{
    public static string Expected => "numbers";

    public static bool TryRead(ref Utf8JsonReader reader, out Half value)
    {
        var found = Fp64Element.TryRead(ref reader, out var wide);
        value = (Half)wide;
        // A finite number beyond FP16's range would silently become infinity; it is refused instead.
        return found && (Half.IsFinite(value) || !double.IsFinite(wide));
    }
}

/// <summary>BF16 travels as its raw 16 bits (<c>ushort</c>): the top half of the FP32 value, rounded to nearest even.</summary>
internal readonly struct Bf16Element : IJsonElement<ushort>
{
    public static string Expected => "numbers";

    public static bool TryRead(ref Utf8JsonReader reader, out ushort value)
    {
        var found = Fp32Element.TryRead(ref reader, out var single);
        value = Bf16.FromSingle(single);
        return found;
    }
}

internal static class Bf16
{
    public static ushort FromSingle(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
            return (ushort)((bits >> 16) | 0x0040);
        bits += 0x7FFF + ((bits >> 16) & 1);
        return (ushort)(bits >> 16);
    }

    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}

/// <summary>A BYTES element is a JSON string whose UTF-8 bytes (escapes resolved) are the element.</summary>
internal readonly struct BytesElement : IJsonElement<byte[]>
{
    public static string Expected => "strings";

    public static bool TryRead(ref Utf8JsonReader reader, out byte[] value)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            value = [];
            return false;
        }
        if (!reader.ValueIsEscaped)
        {
            value = reader.ValueSpan.ToArray();
            return true;
        }
        // Unescaped text is never longer than its escaped form.
        var buffer = new byte[reader.ValueSpan.Length];
        var length = reader.CopyString(buffer);
        value = length == buffer.Length ? buffer : buffer.AsSpan(0, length).ToArray();
        return true;
    }
}
