namespace Slipway.Observability.Tests.Tracing;

/// <summary>Reads protobuf wire format (varints, fixed 32/64-bit, length-delimited fields) from a byte span.</summary>
internal ref struct ProtoReader
{
    public const int VarintType = 0;
    public const int Fixed64Type = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32Type = 5;

    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool Next(out int field, out int wireType)
    {
        if (_position >= _buffer.Length)
        {
            field = wireType = 0;
            return false;
        }
        var tag = Varint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        if (field == 0)
            throw new FormatException("Protobuf field number 0.");
        return true;
    }

    public ulong Varint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _buffer.Length)
                throw new FormatException("Truncated varint.");
            var b = _buffer[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
        throw new FormatException("Varint longer than 10 bytes.");
    }

    public ReadOnlySpan<byte> Bytes()
    {
        var length = checked((int)Varint());
        if (length < 0 || _position + length > _buffer.Length)
            throw new FormatException("Length-delimited field runs past the message.");
        var bytes = _buffer.Slice(_position, length);
        _position += length;
        return bytes;
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case VarintType: Varint(); break;
            case Fixed64Type: Advance(8); break;
            case LengthDelimited: Bytes(); break;
            case Fixed32Type: Advance(4); break;
            default: throw new FormatException($"Unsupported protobuf wire type {wireType}.");
        }
    }

    private void Advance(int count)
    {
        if (_position + count > _buffer.Length)
            throw new FormatException("Fixed-width field runs past the message.");
        _position += count;
    }
}
