namespace Slipway.Artifacts.Tests;

/// <summary>HTTP <c>Range</c> headers to byte ranges, and ranges to offsets in a file.</summary>
public sealed class ArtifactRangeTests
{
    [Theory]
    [InlineData("bytes=0-9", 0L, 10L)]
    [InlineData("bytes=90-", 90L, 10L)]
    [InlineData("bytes=-5", 95L, 5L)]
    [InlineData("bytes=10-1000", 10L, 90L)]
    [InlineData("bytes=-500", 0L, 100L)]
    public void ParseHttpHeader_SingleRange_ResolvesAgainstLength(string header, long offset, long length)
    {
        var range = ArtifactRange.ParseHttpHeader(header);
        Assert.NotNull(range);
        Assert.True(range.Value.TryResolve(100, out var actualOffset, out var actualLength));
        Assert.Equal((offset, length), (actualOffset, actualLength));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("items=0-9")]
    [InlineData("bytes=0-9,20-29")]
    [InlineData("bytes=9-0")]
    [InlineData("bytes=a-b")]
    [InlineData("bytes=-")]
    [InlineData("bytes=+1-2")]
    public void ParseHttpHeader_NotOneBytesRange_NullSoTheWholeFileIsSent(string? header) =>
        Assert.Null(ArtifactRange.ParseHttpHeader(header));

    [Theory]
    [InlineData("bytes=100-")]
    [InlineData("bytes=-0")]
    public void TryResolve_OutsideFile_False(string header) =>
        Assert.False(ArtifactRange.ParseHttpHeader(header)!.Value.TryResolve(100, out _, out _));
}
