using System.Globalization;
using System.Text;
using Slipway.Core.Errors;

namespace Slipway.Tracking.Search;

/// <summary>
/// Lexer for MLflow's search language (the subset of SQL that <c>sqlparse</c> recognises in
/// <c>mlflow/utils/search_utils.py</c>). It only splits text; which clauses make sense is decided by the parsers.
/// </summary>
internal sealed class FilterTokenizer
{
    private readonly string _text;
    private readonly string _source;
    private int _position;

    private FilterTokenizer(string text, string source)
    {
        _text = text;
        _source = source;
    }

    /// <param name="source">Names the input in error messages, e.g. <c>filter</c> or <c>order_by clause</c>.</param>
    public static List<FilterToken> Tokenize(string text, string source)
    {
        var tokenizer = new FilterTokenizer(text, source);
        var tokens = new List<FilterToken>();
        FilterToken token;
        do
        {
            token = tokenizer.Next();
            tokens.Add(token);
        }
        while (token.Kind != FilterTokenKind.End);
        return tokens;
    }

    private FilterToken Next()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
            _position++;
        if (_position == _text.Length)
            return new FilterToken(FilterTokenKind.End, "end of input");

        var c = _text[_position];
        switch (c)
        {
            case '(' or ')' or ',':
                _position++;
                var kind = c switch { '(' => FilterTokenKind.OpenParen, ')' => FilterTokenKind.CloseParen, _ => FilterTokenKind.Comma };
                return new FilterToken(kind, c.ToString());
            case '\'' or '"':
                return ReadQuotedToken(c);
            case '`':
                return ReadIdentifier(_position, []);
            case '<' or '>' or '=' or '!':
                return ReadComparator();
        }

        if (char.IsAsciiDigit(c) || ((c == '-' || c == '.') && StartsNumber(_position + 1, c == '-')))
            return ReadNumber();
        if (char.IsLetter(c) || c == '_')
            return ReadIdentifier(_position, []);
        throw Error($"unexpected character '{c}' at position {_position}");
    }

    private bool StartsNumber(int index, bool allowDot) =>
        index < _text.Length && (char.IsAsciiDigit(_text[index])
            || (allowDot && _text[index] == '.' && index + 1 < _text.Length && char.IsAsciiDigit(_text[index + 1])));

    /// <summary>A quoted string value, or a key when a double-quoted part is followed by '.' (<c>"tags".x</c>).</summary>
    private FilterToken ReadQuotedToken(char quote)
    {
        var start = _position;
        var value = ReadQuoted(quote);
        if (quote == '"' && _position < _text.Length && _text[_position] == '.')
            return ReadIdentifier(start, [value]);
        return new FilterToken(FilterTokenKind.String, _text[start.._position]) { Value = value };
    }

    /// <summary>
    /// Reads <c>quote … quote</c> starting at the opening quote. Boundaries follow sqlparse: a doubled quote and a
    /// backslash pair never end the string. A doubled or backslash-escaped quote stands for the quote itself; other
    /// backslash pairs are kept verbatim so Windows paths and regex-like values survive.
    /// </summary>
    private string ReadQuoted(char quote)
    {
        var open = _position++;
        var builder = new StringBuilder();
        while (_position < _text.Length)
        {
            var c = _text[_position];
            var hasNext = _position + 1 < _text.Length;
            if ((c == quote || c == '\\') && hasNext && _text[_position + 1] == quote)
            {
                builder.Append(quote);
                _position += 2;
            }
            else if (c == '\\' && hasNext)
            {
                builder.Append(c).Append(_text[_position + 1]);
                _position += 2;
            }
            else if (c == quote)
            {
                _position++;
                return builder.ToString();
            }
            else
            {
                builder.Append(c);
                _position++;
            }
        }
        throw Error($"unterminated quote {quote} starting at position {open}");
    }

    private FilterToken ReadIdentifier(int start, List<string> parts)
    {
        var bareSingleWord = parts.Count == 0 && _text[_position] != '`';
        if (parts.Count > 0)
            _position++; // the '.' after a leading "quoted" part
        while (true)
        {
            parts.Add(ReadIdentifierPart());
            if (_position >= _text.Length || _text[_position] != '.')
                break;
            _position++;
        }
        var raw = _text[start.._position];
        if (bareSingleWord && parts.Count == 1 && KeywordKind(parts[0]) is { } keyword)
            return new FilterToken(keyword, parts[0].ToUpperInvariant());
        return new FilterToken(FilterTokenKind.Identifier, raw) { Parts = parts };
    }

    private string ReadIdentifierPart()
    {
        if (_position < _text.Length && _text[_position] is '`' or '"')
            return ReadQuoted(_text[_position]);
        var start = _position;
        while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_'))
            _position++;
        if (_position == start)
            throw Error($"expected a name after '.' at position {start}; quote keys with special characters in backticks");
        return _text[start.._position];
    }

    private static FilterTokenKind? KeywordKind(string word) => word.ToUpperInvariant() switch
    {
        "AND" => FilterTokenKind.And,
        "OR" => FilterTokenKind.Or,
        "LIKE" => FilterTokenKind.Like,
        "ILIKE" => FilterTokenKind.ILike,
        "IN" => FilterTokenKind.In,
        "NOT" => FilterTokenKind.Not,
        _ => null,
    };

    private FilterToken ReadNumber()
    {
        var start = _position;
        if (_text[_position] == '-')
            _position++;
        SkipDigits();
        if (_position < _text.Length && _text[_position] == '.')
        {
            _position++;
            SkipDigits();
        }
        if (_position < _text.Length && _text[_position] is 'e' or 'E')
        {
            _position++;
            if (_position < _text.Length && _text[_position] is '+' or '-')
                _position++;
            if (!StartsNumber(_position, allowDot: false))
                throw Error($"malformed number '{_text[start.._position]}' at position {start}");
            SkipDigits();
        }
        // "1abc" or "1.2.3" is neither a number nor a key; reject it rather than splitting it silently.
        if (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] is '_' or '.'))
            throw Error($"malformed number starting at position {start}");
        var raw = _text[start.._position];
        return new FilterToken(FilterTokenKind.Number, raw) { Number = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture) };
    }

    private void SkipDigits()
    {
        while (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
            _position++;
    }

    private FilterToken ReadComparator()
    {
        var start = _position;
        while (_position < _text.Length && _text[_position] is '<' or '>' or '=' or '!')
            _position++;
        var raw = _text[start.._position];
        Comparator? comparator = raw switch
        {
            "=" => Comparator.Equal,
            "!=" => Comparator.NotEqual,
            ">" => Comparator.Greater,
            ">=" => Comparator.GreaterOrEqual,
            "<" => Comparator.Less,
            "<=" => Comparator.LessOrEqual,
            _ => null,
        };
        if (comparator is null)
            throw SlipwayException.InvalidParameter($"Invalid comparator '{raw}' not one of '=, !=, >, >=, <, <=' in {_source} '{_text}'.");
        return new FilterToken(FilterTokenKind.Comparator, raw) { Comparator = comparator.Value };
    }

    private SlipwayException Error(string detail) =>
        SlipwayException.InvalidParameter($"Invalid {_source} '{_text}': {detail}.");
}
