using System.Text;
using Slipway.Core.Errors;
using Slipway.Monitoring.Data;

namespace Slipway.Monitoring.Tests.Data;

public sealed class FrameReaderTests
{
    [Fact]
    public async Task ReadAsync_CsvPath_ReadsCsv()
    {
        var path = Path.Combine(Path.GetTempPath(), $"slipway-{Guid.NewGuid():N}.CSV");
        await File.WriteAllTextAsync(path, "a,b\n1,x\n2,y\n");
        try
        {
            var frame = await FrameReader.ReadAsync(path);
            Assert.Equal(2, frame.RowCount);
            Assert.Equal(ColumnDtype.Int64, frame.Find("a")!.Dtype);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_CsvStream_UsesTheNamesExtension()
    {
        var frame = FrameReader.Read(new MemoryStream(Encoding.UTF8.GetBytes("a\n1.5\n")), "upload.csv");
        Assert.Equal([1.5], frame.Find("a")!.Numbers!);
    }

    [Fact]
    public async Task ReadAsync_MissingFile_ThrowsInvalidParameter()
    {
        var error = await Assert.ThrowsAsync<SlipwayException>(() => FrameReader.ReadAsync("/nonexistent/reference.csv"));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data.json")]
    [InlineData("data")]
    [InlineData("data.csv.gz")]
    public async Task ReadAsync_UnsupportedExtension_ThrowsInvalidParameter(string name)
    {
        var error = await Assert.ThrowsAsync<SlipwayException>(() => FrameReader.ReadAsync(new MemoryStream([1, 2, 3]), name));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(".csv or .parquet", error.Message, StringComparison.Ordinal);
    }
}
