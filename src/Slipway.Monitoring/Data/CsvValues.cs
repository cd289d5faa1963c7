using System.Globalization;
using System.Text;

namespace Slipway.Monitoring.Data;

/// <summary>What one CSV field looks like to pandas' type inference.</summary>
internal enum CsvFieldKind : byte
{
    Missing,
    Integer,
    Real,
    Boolean,
    Text,
}

/// <summary>
/// Field-level rules of <c>pandas.read_csv</c> (1.5, the version the conformance values were made with): its default
/// missing-value tokens, its True/False spellings, integers vs floats, and the infinity spellings that
/// <c>float_precision="round_trip"</c> accepts.
/// </summary>
internal static class CsvValues
{
    // pandas 1.5's STR_NA_VALUES; "None" only joined the list in pandas 2.0.
    private static readonly byte[][] MissingTokens =
    [
        "#N/A"u8.ToArray(), "#N/A N/A"u8.ToArray(), "#NA"u8.ToArray(), "-1.#IND"u8.ToArray(), "-1.#QNAN"u8.ToArray(),
        "-NaN"u8.ToArray(), "-nan"u8.ToArray(), "1.#IND"u8.ToArray(), "1.#QNAN"u8.ToArray(), "<NA>"u8.ToArray(),
        "N/A"u8.ToArray(), "NA"u8.ToArray(), "NULL"u8.ToArray(), "NaN"u8.ToArray(), "n/a"u8.ToArray(),
        "nan"u8.ToArray(), "null"u8.ToArray(),
    ];

    public static bool IsMissing(ReadOnlySpan<byte> field)
    {
        if (field.IsEmpty)
            return true;
        if (field.Length > 8)
            return false;
        foreach (var token in MissingTokens)
        {
            if (field.SequenceEqual(token))
                return true;
        }
        return false;
    }

    /// <summary>Classifies a field and, for numbers and booleans, gives its value (booleans as 1/0).</summary>
    public static CsvFieldKind Classify(ReadOnlySpan<byte> field, out double value)
    {
        value = double.NaN;
        if (IsMissing(field))
            return CsvFieldKind.Missing;
        if (field.SequenceEqual("True"u8) || field.SequenceEqual("TRUE"u8) || field.SequenceEqual("true"u8))
        {
            value = 1;
            return CsvFieldKind.Boolean;
        }
        if (field.SequenceEqual("False"u8) || field.SequenceEqual("FALSE"u8) || field.SequenceEqual("false"u8))
        {
            value = 0;
            return CsvFieldKind.Boolean;
        }
        var trimmed = field.Trim(" \t"u8);
        if (IsInteger(trimmed) && long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            value = whole;
            return CsvFieldKind.Integer;
        }
        if (TryParseReal(trimmed, out value))
            return double.IsNaN(value) ? CsvFieldKind.Missing : CsvFieldKind.Real;
        return CsvFieldKind.Text;
    }

    /// <summary>Parses a field already known to be a number (or missing); missing gives NaN.</summary>
    public static double ParseNumber(ReadOnlySpan<byte> field)
    {
        if (IsMissing(field))
            return double.NaN;
        return TryParseReal(field.Trim(" \t"u8), out var value) ? value : double.NaN;
    }

    private static bool IsInteger(ReadOnlySpan<byte> text)
    {
        var start = text.Length > 0 && (text[0] == (byte)'-' || text[0] == (byte)'+') ? 1 : 0;
        if (start == text.Length)
            return false;
        foreach (var b in text[start..])
        {
            if (b is < (byte)'0' or > (byte)'9')
                return false;
        }
        return true;
    }

    private static bool TryParseReal(ReadOnlySpan<byte> text, out double value)
    {
        // .NET's parser rounds correctly, as Python's float() does under round_trip; it also takes "Infinity".
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            return true;
        var sign = 1.0;
        var rest = text;
        if (rest.Length > 0 && (rest[0] == (byte)'-' || rest[0] == (byte)'+'))
        {
            sign = rest[0] == (byte)'-' ? -1 : 1;
            rest = rest[1..];
        }
        if (Ascii.EqualsIgnoreCase(rest, "inf"u8) || Ascii.EqualsIgnoreCase(rest, "infinity"u8))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }
        value = double.NaN;
        return false;
    }
}
