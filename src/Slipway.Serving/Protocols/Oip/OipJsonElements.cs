using System.Text.Json;

namespace Slipway.Serving.Protocols.Oip;

/// <summary>Reads one JSON token as a tensor element; false when the token is of the wrong kind or out of range.</summary>
internal interface IJsonElement<T>
{
    /// <summary>What the datatype's elements must be, for error messages ("numbers", "strings").</summary>
    static abstract string Expected { get; }

    static abstract bool TryRead(ref Utf8JsonReader reader, out T value);
}

internal readonly struct BoolElement : IJsonElement<bool>
{
    public static string Expected => "true or false";

    public static bool TryRead(ref Utf8JsonReader reader, out bool value)
    {
        value = reader.TokenType == JsonTokenType.True;
        return value || reader.TokenType == JsonTokenType.False;
    }
}

internal readonly struct UInt8Element : IJsonElement<byte>
{
    public static string Expected => "integers";

    public static bool TryRead(ref Utf8JsonReader reader, out byte value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetByte(out value);
    }
}

internal readonly struct UInt16Element : IJsonElement<ushort>
{
    public static string Expected => "integers";

    public static bool TryRead(ref Utf8JsonReader reader, out ushort value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetUInt16(out value);
    }
}

internal readonly struct UInt32Element : IJsonElement<uint>
{
    public static string Expected => "integers";

    public static bool TryRead(ref Utf8JsonReader reader, out uint value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetUInt32(out value);
    }
}

internal readonly struct UInt64Element : IJsonElement<ulong>
{
    public static string Expected => "integers";

    public static bool TryRead(ref Utf8JsonReader reader, out ulong value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out value);
    }
}

internal readonly struct Int8Element : IJsonElement<sbyte>
{
    public static string Expected => "integers";

    public static bool TryRead(ref Utf8JsonReader reader, out sbyte value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetSByte(out value);
    }
}

internal readonly struct Int16Element : IJsonElement<short>
{
    public static string Expected => "integers";

    public static bool TryRead(ref Utf8JsonReader reader, out short value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt16(out value);
    }
}

internal readonly struct Int32Element : IJsonElement<int>
{
    public static string Expected => "integers";

    public static bool TryRead(ref Utf8JsonReader reader, out int value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out value);
    }
}

internal readonly struct Int64Element : IJsonElement<long>
{
    public static string Expected => "integers";

    public static bool TryRead(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value);
    }
}
