using Slipway.Monitoring.Monitors;
using Slipway.Web.Components.Monitors;

namespace Slipway.Web.Tests.Pages.Monitors;

/// <summary>Reading stored monitor reports back for the page, without a browser.</summary>
public sealed class MonitorReportTests
{
    [Fact]
    public void Parse_SectionMissingAField_DropsThatSectionOnly()
    {
        // An older report: the drift section lacks "dataset", the quality section is whole.
        const string json = """
            {
              "metadata": {"monitor": "m"},
              "feature_drift": {"columns": []},
              "data_quality": {"failed_checks": 1, "columns": [], "missing_columns": ["age"], "new_columns": [], "type_changes": []},
              "histograms": {"age": {"kind": "equal_width"}, "sex": {"kind": "categories", "labels": ["<b>f</b>"], "reference_shares": [1],
                "current_shares": ["NaN"], "reference_missing_share": 0, "current_missing_share": 0}}
            }
            """;

        var report = MonitorReport.Parse(json);

        Assert.Null(report.FeatureDrift);
        Assert.Equal(["age"], report.Quality!.MissingColumns);
        Assert.Equal(["sex"], report.Histograms.Keys);
        Assert.True(double.IsNaN(report.Histograms["sex"].CurrentShares[0]));
    }

    [Fact]
    public void RunReportOf_DamagedJson_KeepsTheRunAndSaysWhy()
    {
        var run = new MonitorRunRecord("r1", "m", "manual", MonitorRunStatus.Succeeded, 1, 2, 0, 1, 10, "1", 0, false, 0, 1, 0,
            Error: null, ReportHtml: null, ReportJson: "{not json", Result: "{not json");

        var read = RunReport.Of(run);

        Assert.Same(run, read.Run);
        Assert.Null(read.Report);
        Assert.Contains("could not be read", read.ReportProblem);
    }

    [Theory]
    [InlineData("<b>bold</b>", "&lt;b>bold&lt;/b>")]
    [InlineData("a & b <br>", "a &amp; b &lt;br>")]
    [InlineData("&lt;", "&amp;lt;")]
    public void PlotlyText_InferenceCategory_ShownAsTypedNotAsMarkup(string label, string sent) =>
        Assert.Equal(sent, HistogramChart.PlotlyText(label));
}
