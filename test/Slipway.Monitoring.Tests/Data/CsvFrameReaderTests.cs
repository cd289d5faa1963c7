using System.Text;
using Slipway.Core.Errors;
using Slipway.Monitoring.Data;

namespace Slipway.Monitoring.Tests.Data;

public sealed class CsvFrameReaderTests
{
    private static DataFrame Read(string text) => CsvFrameReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "test.csv");

    private static DataColumn Column(string text, string name = "x") => Read(text).Find(name)!;

    [Fact]
    public void Read_WholeNumbers_AreInt64()
    {
        var column = Column("x\n1\n-2\n+3\n007\n");
        Assert.Equal(ColumnDtype.Int64, column.Dtype);
        Assert.Equal([1.0, -2, 3, 7], column.Numbers!);
    }

    [Fact]
    public void Read_IntegersWithAMissingValue_AreFloat64WithNaN()
    {
        var column = Column("x,y\n1,a\n,b\n3,c\n");
        Assert.Equal(ColumnDtype.Float64, column.Dtype);
        Assert.True(double.IsNaN(column.Numbers![1]));
    }

    [Fact]
    public void Read_FractionsAndInfinities_AreFloat64()
    {
        var column = Column("x\n1.5\nInfinity\n-Infinity\ninf\n-inf\n1e-320\n0.1\n");
        Assert.Equal(ColumnDtype.Float64, column.Dtype);
        Assert.Equal([1.5, double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity, double.NegativeInfinity, 1e-320, 0.1], column.Numbers!);
    }

    [Fact]
    public void Read_ShortestRoundTripFloats_ParseToTheSameDouble()
    {
        var values = new[] { 0.30000000000000004, 1.7976931348623157e308, 5e-324, -2.2250738585072014e-308, 123456.78901234567 };
        var text = "x\n" + string.Join("\n", values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "\n";
        Assert.Equal(values, Column(text).Numbers!);
    }

    [Fact]
    public void Read_IntegerBeyondInt64_IsFloat64()
    {
        var column = Column("x\n1\n99999999999999999999\n");
        Assert.Equal(ColumnDtype.Float64, column.Dtype);
        Assert.Equal(1e20, column.Numbers![1]);
    }

    [Theory]
    [InlineData("True\nFalse\nTRUE\nfalse\n", ColumnDtype.Bool)]
    [InlineData("True\nNA\nFalse\n", ColumnDtype.NullableBool)]
    public void Read_TrueFalse_IsBoolOrNullableBool(string rows, ColumnDtype expected)
    {
        var column = Column("x\n" + rows);
        Assert.Equal(expected, column.Dtype);
        Assert.Equal(1.0, column.Numbers![0]);
    }

    [Theory]
    [InlineData("NA")]
    [InlineData("nan")]
    [InlineData("NaN")]
    [InlineData("null")]
    [InlineData("NULL")]
    [InlineData("N/A")]
    [InlineData("#N/A")]
    [InlineData("<NA>")]
    [InlineData("")]
    public void Read_PandasMissingTokens_AreMissing(string token)
    {
        var frame = Read($"n,s\n1.5,a\n{token},{token}\n");
        Assert.True(double.IsNaN(frame.Find("n")!.Numbers![1]));
        Assert.Null(frame.Find("s")!.Strings![1]);
        Assert.Equal(ColumnDtype.String, frame.Find("s")!.Dtype);
    }

    [Fact]
    public void Read_NumbersThenText_KeepsEachFieldsOriginalText()
    {
        var column = Column("x,y\n1.50,1\n007,2\n,3\nabc,4\nTrue,5\n");
        Assert.Equal(ColumnDtype.String, column.Dtype);
        Assert.Equal((IEnumerable<string?>)["1.50", "007", null, "abc", "True"], column.Strings!);
    }

    [Fact]
    public void Read_BooleansMixedWithNumbers_IsStringWithOriginalText()
    {
        var column = Column("x\nTrue\n1\nFalse\n");
        Assert.Equal(ColumnDtype.String, column.Dtype);
        Assert.Equal((IEnumerable<string?>)["True", "1", "False"], column.Strings!);
    }

    [Fact]
    public void Read_NoValueAtAll_IsAllMissingFloat64()
    {
        var column = Column("x,y\n,1\n,2\n");
        Assert.Equal(ColumnDtype.Float64, column.Dtype);
        Assert.All(column.Numbers!, v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void Read_BlankLine_IsSkippedLikePandas()
    {
        Assert.Equal([1.0, 2], Column("x\n1\n\n2\n").Numbers!);
    }

    [Fact]
    public void Read_HeaderOnly_GivesEmptyColumns()
    {
        var frame = Read("a,b\n");
        Assert.Equal(0, frame.RowCount);
        Assert.Equal(["a", "b"], frame.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Read_QuotedFields_FollowRfc4180()
    {
        var frame = Read("\"name, full\",note\n\"Smith, J\",\"said \"\"hi\"\"\"\nplain,\"two\nlines\"\n");
        Assert.Equal((IEnumerable<string?>)["Smith, J", "plain"], frame.Find("name, full")!.Strings!);
        Assert.Equal((IEnumerable<string?>)["said \"hi\"", "two\nlines"], frame.Find("note")!.Strings!);
    }

    [Fact]
    public void Read_QuotedNumbers_AreStillNumbers()
    {
        var column = Column("x\n\"1\"\n\"2\"\n");
        Assert.Equal(ColumnDtype.Int64, column.Dtype);
    }

    [Fact]
    public void Read_CrLfLineEndsBomAndBlankLines_AreHandled()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("a,b\r\n1,x\r\n\r\n2,y\r\n")).ToArray();
        var frame = CsvFrameReader.Read(new MemoryStream(bytes), "bom.csv");
        Assert.Equal(2, frame.RowCount);
        Assert.Equal([1.0, 2], frame.Find("a")!.Numbers!);
        Assert.Equal((IEnumerable<string?>)["x", "y"], frame.Find("b")!.Strings!);
    }

    [Fact]
    public void Read_EmptyHeaderCell_IsNamedUnnamedLikePandas()
    {
        var frame = Read(",value\n0,1.5\n1,2.5\n");
        Assert.Equal(["Unnamed: 0", "value"], frame.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Read_OneWayStreamNeedingASecondPass_Works()
    {
        var bytes = Encoding.UTF8.GetBytes("x\n1\n2\nlater text\n");
        using var stream = new OneWayStream(bytes);
        var column = CsvFrameReader.Read(stream, "pipe.csv").Find("x")!;
        Assert.Equal((IEnumerable<string?>)["1", "2", "later text"], column.Strings!);
    }

    [Fact]
    public void Read_LargeFileAcrossBufferBoundaries_KeepsEveryRow()
    {
        var text = new StringBuilder("id,label\n");
        for (var i = 0; i < 50_000; i++)
            text.Append(i).Append(",\"cat ").Append(i % 7).Append("\"\n");
        var frame = Read(text.ToString());
        Assert.Equal(50_000, frame.RowCount);
        Assert.Equal(49_999, frame.Find("id")!.Numbers![^1]);
        Assert.Equal("cat 3", frame.Find("label")!.Strings![49_997]);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a,b\n1,2\n3\n", "line 3 has 1 fields where the header has 2")]
    [InlineData("a,b\n1,2,3\n", "line 2 has 3 fields where the header has 2")]
    [InlineData("a,a\n1,2\n", "'a' appears more than once")]
    [InlineData("a\n\"open\n", "never closed")]
    public void Read_MalformedCsv_ThrowsInvalidParameter(string text, string message)
    {
        var error = Assert.Throws<SlipwayException>(() => Read(text));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("test.csv", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A stream that cannot seek, like a network or artifact-store download.</summary>
    private sealed class OneWayStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
