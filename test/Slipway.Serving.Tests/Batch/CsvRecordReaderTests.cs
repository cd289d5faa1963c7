using System.Text;
using Slipway.Serving.Batch;

namespace Slipway.Serving.Tests.Batch;

/// <summary>The CSV tokenizer alone: quoting, line endings, blank lines, and state kept across its 64 KiB buffer.</summary>
public sealed class CsvRecordReaderTests
{
    [Fact]
    public async Task ReadAsync_QuotedFields_SeparatorsQuotesAndLineBreaksKept()
    {
        var records = await ReadAllAsync("a,\"b,c\",\"say \"\"hi\"\"\",\"multi\r\nline\"\r\nx,,\"\"\r\n");

        Assert.Equal(["a", "b,c", "say \"hi\"", "multi\r\nline"], records[0].Select(f => f.Text));
        Assert.Equal(["x", "", ""], records[1].Select(f => f.Text));
        Assert.Equal([false, true, false], records[1].Select(f => f.IsNull));
    }

    [Fact]
    public async Task ReadAsync_BlankLinesAndNoFinalNewline_BlankLinesSkippedLastRecordRead()
    {
        var reader = new CsvRecordReader(new StringReader("h1,h2\n\n1,2\r\n\r\n3,4"));
        var lines = new List<long>();
        var last = "";
        while (await reader.ReadAsync(CancellationToken.None))
        {
            lines.Add(reader.Line);
            last = reader[1].ToString();
        }

        Assert.Equal([1L, 3, 5], lines);
        Assert.Equal("4", last);
    }

    [Fact]
    public async Task ReadAsync_FieldsAndLineEndingsAcrossBufferBoundaries_ReadWhole()
    {
        var longQuoted = new string('q', 100_000);
        var csv = new StringBuilder();
        csv.Append(new string('a', 65_535)).Append("\r\n");   // the \r ends the first buffer, its \n starts the next
        csv.Append('"').Append(longQuoted).Append("\"\"x\",2\n");
        var records = await ReadAllAsync(csv.ToString());

        Assert.Equal(2, records.Count);
        Assert.Equal(65_535, records[0][0].Text.Length);
        Assert.Equal(longQuoted + "\"x", records[1][0].Text);
        Assert.Equal("2", records[1][1].Text);
    }

    private static async Task<List<List<(string Text, bool IsNull)>>> ReadAllAsync(string csv)
    {
        var reader = new CsvRecordReader(new StringReader(csv));
        var records = new List<List<(string, bool)>>();
        while (await reader.ReadAsync(CancellationToken.None))
            records.Add(Enumerable.Range(0, reader.FieldCount).Select(i => (reader[i].ToString(), reader.IsNull(i))).ToList());
        return records;
    }
}
