using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.Reports;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Reports;

public sealed partial class ReportHtmlTests
{
    [Fact]
    public void Write_FullReport_LoadsNothingFromTheNetwork()
    {
        var html = Write(SampleReports.Full());

        Assert.DoesNotMatch(RemoteReference(), html);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.Single(ScriptTag().Matches(html));
    }

    [Fact]
    public void Write_HostileNames_AreEncoded()
    {
        var html = Write(SampleReports.Full());

        Assert.DoesNotContain(SampleReports.HostileName, html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>bold</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<report>", html, StringComparison.Ordinal);
        Assert.Contains("churn &quot;prod&quot;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_FullReport_ShowsEveryColumnVerdictAndSection()
    {
        var report = SampleReports.Full();
        var html = Write(report);

        foreach (var column in report.FeatureDrift!.Columns)
            Assert.Contains($"<td class=\"name\">{WebUtility.HtmlEncode(column.Column)}</td>", html, StringComparison.Ordinal);
        Assert.Contains("Dataset drift detected", html, StringComparison.Ordinal);
        Assert.Contains("<strong>2</strong> of <strong>3</strong> columns drifted", html, StringComparison.Ordinal);
        Assert.Contains("id=\"predictions\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"quality\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"performance\"", html, StringComparison.Ordinal);
        Assert.Contains("not tested", html, StringComparison.Ordinal);
        // One chart per histogram in the feature table, and again for the prediction column.
        Assert.Equal(report.Histograms.Count + 1, ChartTag().Matches(html).Count);
    }

    [Fact]
    public void Write_NoDrift_SaysSo()
    {
        var report = SampleReports.Full();
        var drift = report.FeatureDrift! with { Dataset = new DatasetDriftResult(0.5, 3, 0, 0, false) };

        var html = Write(report with { FeatureDrift = drift, PredictionDrift = null, Quality = null, Performance = null });

        Assert.Contains("No dataset drift", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"quality\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_HundredColumnsOfTenThousandRows_StaysUnderOneMegabyte()
    {
        var random = new Random(7);
        var reference = new List<DataColumn>();
        var current = new List<DataColumn>();
        var results = new List<ColumnDriftResult>();
        for (var c = 0; c < 100; c++)
        {
            var name = $"feature_{c}";
            reference.Add(DataColumn.Numeric(name, ColumnDtype.Float64, Enumerable.Range(0, 10_000).Select(_ => random.NextDouble()).ToArray()));
            current.Add(DataColumn.Numeric(name, ColumnDtype.Float64, Enumerable.Range(0, 10_000).Select(_ => random.NextDouble() + 0.1).ToArray()));
            var method = new MethodResult("wasserstein", "Wasserstein distance (normed)", random.NextDouble(), 0.1, c % 2 == 0, DriftRule.ScoreAtLeast);
            results.Add(new ColumnDriftResult(name, ColumnType.Numerical, true, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 20_000, method));
        }
        var drift = new DriftResult(10_000, 10_000, results, new DatasetDriftResult(0.5, 100, 50, 0.5, true));
        var report = new ReportDocument
        {
            Title = "wide",
            CreatedAt = DateTimeOffset.UnixEpoch,
            FeatureDrift = drift,
            Histograms = ColumnHistograms.ForDrift(new DataFrame(reference), new DataFrame(current), drift),
        };

        var html = Write(report);

        Assert.Equal(100, ChartTag().Matches(html).Count);
        Assert.True(Encoding.UTF8.GetByteCount(html) < 1_000_000, $"{Encoding.UTF8.GetByteCount(html)} bytes");
    }

    private static string Write(ReportDocument report)
    {
        using var stream = new MemoryStream();
        ReportHtml.Write(stream, report);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [GeneratedRegex(@"(src|href|xlink:href|action)\s*=\s*[""']?\s*(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex RemoteReference();

    [GeneratedRegex("<script", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("<svg class=\"chart\"")]
    private static partial Regex ChartTag();
}
