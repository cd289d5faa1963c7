using System.Buffers;
using Slipway.Core.Errors;

namespace Slipway.Serving.Batch;

/// <summary>
/// Reads CSV records one at a time from a stream (RFC 4180): <c>,</c> between fields, <c>\n</c> or <c>\r\n</c> between
/// records, and quoted fields that may hold separators, line breaks and doubled quotes. Blank lines are skipped. Only
/// the current record is held: its unescaped field texts share one growable buffer, so reading allocates nothing per
/// field.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader)
{
    private const int BufferSize = 64 * 1024;

    private static readonly SearchValues<char> UnquotedStops = SearchValues.Create(",\r\n");
    private static readonly SearchValues<char> QuotedStops = SearchValues.Create("\"\n");

    private readonly char[] _buffer = new char[BufferSize];
    private int _position;
    private int _length;
    private bool _skipLineFeed;

    private char[] _text = new char[1024];
    private int _textLength;
    private Field[] _fields = new Field[16];
    private State _state;
    private int _fieldStart;
    private bool _fieldQuoted;
    private long _line = 1;

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>Fields in the current record.</summary>
    public int FieldCount { get; private set; }

    /// <summary>The line of the file the current record starts on (1-based).</summary>
    public long Line { get; private set; }

    /// <summary>The unescaped text of a field of the current record.</summary>
    public ReadOnlySpan<char> this[int index] => _text.AsSpan(_fields[index].Start, _fields[index].Length);

    /// <summary>An empty field that was not quoted: a missing value (a quoted <c>""</c> is the empty string).</summary>
    public bool IsNull(int index) => _fields[index].Length == 0 && !_fields[index].Quoted;

    /// <summary>Reads the next record; false at the end of the file.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            BeginRecord();
            while (true)
            {
                if (_position == _length)
                {
                    _length = await reader.ReadAsync(_buffer, ct);
                    _position = 0;
                    if (_length == 0)
                        return EndOfFile();
                }
                if (Scan())
                    break;
            }
            if (!IsBlank())
                return true;
        }
    }

    private void BeginRecord()
    {
        FieldCount = 0;
        _textLength = 0;
        _state = State.FieldStart;
        Line = _line;
    }

    private bool EndOfFile()
    {
        if (_state == State.Quoted)
            throw SlipwayException.InvalidParameter($"CSV line {Line}: a quoted value is never closed.");
        if (_state == State.FieldStart && FieldCount == 0)
            return false;
        EndField();
        return !IsBlank();
    }

    private bool IsBlank() => FieldCount == 1 && IsNull(0);

    /// <summary>Consumes buffered characters until the record ends (true) or the buffer runs out (false).</summary>
    private bool Scan()
    {
        while (_position < _length)
        {
            var c = _buffer[_position];
            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (c == '\n')
                {
                    _position++;
                    continue;
                }
            }
            switch (_state)
            {
                case State.FieldStart:
                    _fieldStart = _textLength;
                    _fieldQuoted = c == '"';
                    if (_fieldQuoted)
                    {
                        _position++;
                        _state = State.Quoted;
                    }
                    else
                    {
                        _state = State.Unquoted;
                    }
                    break;
                case State.Unquoted:
                    var unquoted = _buffer.AsSpan(_position, _length - _position);
                    var stop = unquoted.IndexOfAny(UnquotedStops);
                    Append(stop < 0 ? unquoted : unquoted[..stop]);
                    _position += stop < 0 ? unquoted.Length : stop;
                    if (stop >= 0 && EndFieldAt(_buffer[_position++]))
                        return true;
                    break;
                case State.Quoted:
                    var quoted = _buffer.AsSpan(_position, _length - _position);
                    var special = quoted.IndexOfAny(QuotedStops);
                    Append(special < 0 ? quoted : quoted[..(special + (special >= 0 && quoted[special] == '\n' ? 1 : 0))]);
                    _position += special < 0 ? quoted.Length : special + 1;
                    if (special >= 0 && quoted[special] == '"')
                        _state = State.QuoteInQuoted;
                    else if (special >= 0)
                        _line++;
                    break;
                case State.QuoteInQuoted:
                    _position++;
                    if (c == '"')
                    {
                        Append("\"");
                        _state = State.Quoted;
                    }
                    else if (c is ',' or '\r' or '\n')
                    {
                        if (EndFieldAt(c))
                            return true;
                    }
                    else
                    {
                        // Text after a closing quote (a"b"c): kept, as most readers do, rather than failing the file.
                        Append([c]);
                        _state = State.Unquoted;
                    }
                    break;
            }
        }
        return false;
    }

    /// <summary>Ends the field at a separator or line break; true when that also ends the record.</summary>
    private bool EndFieldAt(char c)
    {
        EndField();
        if (c == ',')
        {
            _state = State.FieldStart;
            return false;
        }
        _line++;
        _skipLineFeed = c == '\r';
        return true;
    }

    private void EndField()
    {
        if (FieldCount == _fields.Length)
            Array.Resize(ref _fields, _fields.Length * 2);
        _fields[FieldCount++] = new Field(_fieldStart, _textLength - _fieldStart, _fieldQuoted);
        _fieldStart = _textLength;
        _fieldQuoted = false;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_textLength + text.Length > _text.Length)
            Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + text.Length));
        text.CopyTo(_text.AsSpan(_textLength));
        _textLength += text.Length;
    }

    private readonly record struct Field(int Start, int Length, bool Quoted);
}
