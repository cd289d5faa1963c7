using Slipway.Web.Components.Shared;

namespace Slipway.Web.Tests.Pages.Experiments;

/// <summary>The shared formatting: stamps no date can hold, NaN, sizes, JSON.</summary>
public sealed class UiFormatTests
{
    [Fact]
    public void Time_NanosecondStamp_ShowsTheRawNumberInsteadOfThrowing()
    {
        const long nanoseconds = 1_763_900_000_000_000_000; // time.time_ns() logged as milliseconds
        Assert.Equal("1763900000000000000", UiFormat.Time(nanoseconds));
        Assert.Equal((UiFormat.MaxUnixMs + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), UiFormat.Time(UiFormat.MaxUnixMs + 1));
    }

    [Fact]
    public void Time_InRange_IsUtcText()
    {
        Assert.Equal("9999-12-31 23:59:59", UiFormat.Time(UiFormat.MaxUnixMs));
        Assert.Equal("2026-11-23 14:05:09", UiFormat.Time(1_795_442_709_000));
        Assert.Equal("—", UiFormat.Time(null));
        Assert.Equal("—", UiFormat.Time(0));
    }

    [Fact]
    public void TryUtc_OutOfRange_IsNullForTheChartToLeaveAGap()
    {
        Assert.Null(UiFormat.TryUtc(1.7e18));
        Assert.Null(UiFormat.TryUtc(double.NaN));
        Assert.Equal(new DateTime(2026, 11, 23, 14, 5, 9, DateTimeKind.Utc), UiFormat.TryUtc(1_795_442_709_000));
    }

    [Fact]
    public void PercentAndNumber_NaN_AreADash()
    {
        Assert.Equal("—", UiFormat.Percent(double.NaN));
        Assert.Equal("—", UiFormat.Number(double.NaN));
        Assert.Equal("12.5%", UiFormat.Percent(0.125));
        Assert.Equal("0.91", UiFormat.Number(0.91));
    }

    [Theory]
    [InlineData(512L, "512 B")]
    [InlineData(1536L, "1.5 KB")]
    [InlineData(12L * 1024 * 1024, "12 MB")]
    [InlineData(3L * 1024 * 1024 * 1024 / 2, "1.5 GB")]
    [InlineData(-1L, "—")]
    public void Bytes_UsesBinaryUnits(long size, string expected) => Assert.Equal(expected, UiFormat.Bytes(size));

    [Fact]
    public void PrettyJson_IndentsValidJsonKeepsOtherTextAndNamesAbsence()
    {
        Assert.Equal("{\n  \"a\": \"ü<b>\"\n}", UiFormat.PrettyJson("{\"a\":\"ü<b>\"}").ReplaceLineEndings("\n"));
        Assert.Equal("{cut", UiFormat.PrettyJson("{cut"));
        Assert.Equal("(none)", UiFormat.PrettyJson(null, "(none)"));
    }
}
