using System.Buffers;
using Slipway.Core.Errors;

namespace Slipway.Monitoring.Data;

/// <summary>
/// Splits UTF-8 CSV bytes into records of fields: comma-separated, RFC 4180 quoting (<c>"a,b"</c>, <c>""</c> for a
/// quote, line breaks inside quotes), <c>\n</c>, <c>\r\n</c> or <c>\r</c> line ends, blank lines skipped as pandas
/// does. Each record's unquoted field bytes are copied into one reusable buffer, so reading allocates nothing per field.
/// </summary>
internal sealed class CsvTokenizer
{
    private static readonly SearchValues<byte> FieldBreaks = SearchValues.Create(",\n\r"u8);

    private readonly Stream _stream;
    private readonly string _source;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _position;
    private int _length;
    private bool _endOfStream;
    private byte[] _record = new byte[1024];
    private int _recordLength;
    private int[] _fieldEnds = new int[16];
    private int _fieldCount;
    private long _line = 1;

    public CsvTokenizer(Stream stream, string source)
    {
        _stream = stream;
        _source = source;
        Fill();
        // A UTF-8 byte-order mark is not part of the first column's name.
        if (_length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
            _position = 3;
    }

    public int FieldCount => _fieldCount;

    /// <summary>The 1-based line on which the last record started, for error messages.</summary>
    public long RecordLine { get; private set; }

    public ReadOnlySpan<byte> Field(int index)
    {
        var start = index == 0 ? 0 : _fieldEnds[index - 1];
        return _record.AsSpan(start, _fieldEnds[index] - start);
    }

    /// <summary>Reads the next non-blank record; false at the end of the data.</summary>
    public bool ReadRecord()
    {
        while (true)
        {
            if (!HasByte())
                return false;
            RecordLine = _line;
            _recordLength = 0;
            _fieldCount = 0;
            ReadFields();
            // A line with nothing on it is skipped, like pandas' skip_blank_lines.
            if (!(_fieldCount == 1 && _recordLength == 0))
                return true;
        }
    }

    private void ReadFields()
    {
        while (true)
        {
            var quoted = HasByte() && _buffer[_position] == (byte)'"';
            if (quoted)
            {
                _position++;
                ReadQuoted();
            }
            ReadUnquoted();
            EndField();
            if (!HasByte())
                return;
            var separator = _buffer[_position++];
            if (separator == (byte)',')
                continue;
            _line++;
            if (separator == (byte)'\r' && HasByte() && _buffer[_position] == (byte)'\n')
                _position++;
            return;
        }
    }

    /// <summary>Copies bytes up to the next comma or line end (not consumed).</summary>
    private void ReadUnquoted()
    {
        while (HasByte())
        {
            var available = _buffer.AsSpan(_position, _length - _position);
            var stop = available.IndexOfAny(FieldBreaks);
            var take = stop < 0 ? available.Length : stop;
            Append(available[..take]);
            _position += take;
            if (stop >= 0)
                return;
        }
    }

    /// <summary>Copies a quoted section up to its closing quote; <c>""</c> inside stands for one quote.</summary>
    private void ReadQuoted()
    {
        var startLine = _line;
        while (true)
        {
            if (!HasByte())
                throw SlipwayException.InvalidParameter($"{_source}: the quoted field that starts on line {startLine} is never closed.");
            var available = _buffer.AsSpan(_position, _length - _position);
            var quote = available.IndexOf((byte)'"');
            var take = quote < 0 ? available.Length : quote;
            var chunk = available[..take];
            _line += chunk.Count((byte)'\n');
            Append(chunk);
            _position += take;
            if (quote < 0)
                continue;
            _position++;
            if (HasByte() && _buffer[_position] == (byte)'"')
            {
                Append("\""u8);
                _position++;
                continue;
            }
            return;
        }
    }

    private void EndField()
    {
        if (_fieldCount == _fieldEnds.Length)
            Array.Resize(ref _fieldEnds, _fieldEnds.Length * 2);
        _fieldEnds[_fieldCount++] = _recordLength;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_recordLength + bytes.Length > _record.Length)
            Array.Resize(ref _record, Math.Max(_record.Length * 2, _recordLength + bytes.Length));
        bytes.CopyTo(_record.AsSpan(_recordLength));
        _recordLength += bytes.Length;
    }

    private bool HasByte()
    {
        if (_position < _length)
            return true;
        Fill();
        return _position < _length;
    }

    private void Fill()
    {
        if (_endOfStream)
            return;
        _position = 0;
        _length = 0;
        while (_length < _buffer.Length)
        {
            var read = _stream.Read(_buffer, _length, _buffer.Length - _length);
            if (read == 0)
            {
                _endOfStream = true;
                break;
            }
            _length += read;
        }
    }
}
