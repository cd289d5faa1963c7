using Slipway.Core.Errors;

namespace Slipway.Monitoring.Data;

/// <summary>
/// Reads a CSV file into a <see cref="DataFrame"/> with the column dtypes <c>pandas.read_csv</c> would give, because
/// Evidently's column typing (and so the drift method) depends on them. The format: UTF-8, one header row, commas,
/// optional RFC 4180 quoting, an empty field or one of pandas' missing tokens (<c>NA</c>, <c>nan</c>, <c>null</c>, …) for a
/// missing value, <c>Infinity</c>/<c>-Infinity</c> (also <c>inf</c>), <c>True</c>/<c>False</c>. Blank lines are skipped.
/// Differences from pandas, on purpose: a row with fewer or more fields than the header is an error (pandas pads short
/// rows), and so are duplicate column names (pandas renames them <c>x.1</c>). A header cell left empty is named
/// <c>Unnamed: i</c> as pandas does, so files written with a pandas index still load.
/// </summary>
public static class CsvFrameReader
{
    /// <summary>Reads CSV from a stream; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="SlipwayException">INVALID_PARAMETER_VALUE for an empty file, duplicate column names, ragged rows or an unclosed quote.</exception>
    public static DataFrame Read(Stream stream, string source)
    {
        // A column that turns to text after numbers needs a second read; buffer a one-way stream so that can rewind.
        if (!stream.CanSeek)
        {
            var buffered = new MemoryStream();
            stream.CopyTo(buffered);
            buffered.Position = 0;
            stream = buffered;
        }
        var start = stream.Position;
        var tokenizer = new CsvTokenizer(stream, source);
        if (!tokenizer.ReadRecord())
            throw SlipwayException.InvalidParameter($"{source}: the file is empty; a header row with the column names is required.");
        var builders = ReadHeader(tokenizer, source);
        var rows = 0;
        while (tokenizer.ReadRecord())
        {
            CheckWidth(tokenizer, builders.Length, source);
            for (var i = 0; i < builders.Length; i++)
                builders[i].Add(tokenizer.Field(i));
            rows++;
        }
        var needText = builders.Where(b => b.NeedsText).ToArray();
        if (needText.Length > 0)
            ReadTextAgain(stream, start, source, builders, needText);
        return new DataFrame(builders.Select(b => b.Build()).ToArray());
    }

    private static CsvColumnBuilder[] ReadHeader(CsvTokenizer tokenizer, string source)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var builders = new CsvColumnBuilder[tokenizer.FieldCount];
        for (var i = 0; i < builders.Length; i++)
        {
            var name = System.Text.Encoding.UTF8.GetString(tokenizer.Field(i));
            if (name.Length == 0)
                name = $"Unnamed: {i}";
            if (!names.Add(name))
                throw SlipwayException.InvalidParameter($"{source}: the column name '{name}' appears more than once in the header.");
            // Each column gets its own pool so columns can be built independently later.
            builders[i] = new CsvColumnBuilder(name, new StringPool());
        }
        return builders;
    }

    private static void CheckWidth(CsvTokenizer tokenizer, int width, string source)
    {
        if (tokenizer.FieldCount != width)
        {
            throw SlipwayException.InvalidParameter(
                $"{source}: line {tokenizer.RecordLine} has {tokenizer.FieldCount} fields where the header has {width}.");
        }
    }

    private static void ReadTextAgain(Stream stream, long start, string source, CsvColumnBuilder[] builders, CsvColumnBuilder[] needText)
    {
        stream.Position = start;
        var tokenizer = new CsvTokenizer(stream, source);
        tokenizer.ReadRecord();
        var indexes = needText.Select(b => Array.IndexOf(builders, b)).ToArray();
        foreach (var builder in needText)
            builder.BeginText();
        var row = 0;
        while (tokenizer.ReadRecord())
        {
            for (var k = 0; k < indexes.Length; k++)
                needText[k].ReadText(row, tokenizer.Field(indexes[k]));
            row++;
        }
    }
}
