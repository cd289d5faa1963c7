using System.Text;
using System.Text.Json;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Monitors;

/// <summary>Monitor runs through the SDK against a real server: empty and shifted traffic, failures, history, reports and alerts.</summary>
public sealed class MonitorRunTests(MonitorFixture fixture) : IClassFixture<MonitorFixture>
{
    private static readonly TimeSpan LogDeadline = TimeSpan.FromSeconds(30);

    private SlipwayClient Client => fixture.Client;

    [Fact]
    public async Task RunMonitor_EndpointWithoutTraffic_SucceedsWithNoRowsAndAMessage()
    {
        var name = Names.Unique("quiet");
        await Client.CreateMonitorAsync(fixture.DatasetSpec(name));

        var run = await Client.RunMonitorAsync(name);

        Assert.Equal(MonitorRunStatus.Succeeded, run.Status);
        Assert.Equal(name, run.Monitor);
        Assert.Equal("api", run.Trigger);
        Assert.Equal(0, run.RowsSeen);
        Assert.Null(run.DatasetDrift);
        Assert.Contains("No traffic", run.Message, StringComparison.Ordinal);
        Assert.NotNull(run.ReportHtml);
        Assert.Equal(JsonValueKind.Object, run.Result?.ValueKind);
    }

    [Fact]
    public async Task RunMonitor_WindowEnd_ReadsTheWindowEndingThen()
    {
        var name = Names.Unique("window");
        await Client.CreateMonitorAsync(fixture.DatasetSpec(name) with { Window = TimeSpan.FromHours(6) });
        var end = new DateTimeOffset(2026, 1, 15, 12, 30, 0, TimeSpan.FromHours(2));

        var run = await Client.RunMonitorAsync(name, end);

        Assert.Equal(end.ToUnixTimeMilliseconds(), run.WindowEnd);
        Assert.Equal(end.AddHours(-6).ToUnixTimeMilliseconds(), run.WindowStart);
    }

    [Fact]
    public async Task RunMonitor_MissingReferenceFile_FailedRunWithTheReasonAndNoReport()
    {
        var name = Names.Unique("noref");
        var missing = fixture.ReferenceUri.Replace("ref.csv", "missing.csv", StringComparison.Ordinal);
        await Client.CreateMonitorAsync(fixture.DatasetSpec(name) with { Reference = MonitorReference.Dataset(missing) });

        var run = await Client.RunMonitorAsync(name);
        var report = await Assert.ThrowsAsync<SlipwayApiException>(() => Client.DownloadMonitorReportAsync(name, run.Id, "html", Stream.Null));

        Assert.Equal(MonitorRunStatus.Failed, run.Status);
        Assert.Contains("missing.csv", run.Message, StringComparison.Ordinal);
        Assert.Null(run.ReportHtml);
        Assert.True(report.IsNotFound);
    }

    [Fact]
    public async Task ListMonitorRuns_ThreeRunsInPagesOfTwo_NewestFirstAcrossPages()
    {
        var name = Names.Unique("paging");
        await Client.CreateMonitorAsync(fixture.DatasetSpec(name));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await Client.RunMonitorAsync(name)).Id);

        var first = await Client.ListMonitorRunsAsync(name, maxResults: 2);
        var second = await Client.ListMonitorRunsAsync(name, maxResults: 2, pageToken: first.NextPageToken);
        var one = await Client.GetMonitorRunAsync(name, ids[1]);

        Assert.Equal(2, first.Items.Count);
        Assert.True(first.HasMore);
        Assert.False(second.HasMore);
        Assert.Equal(Enumerable.Reverse(ids), first.Items.Concat(second.Items).Select(r => r.Id));
        Assert.All(first.Items, r => Assert.Null(r.Result));
        Assert.Equal(ids[1], one.Id);
        Assert.NotNull(one.Result);
        var unknown = await Assert.ThrowsAsync<SlipwayApiException>(() => Client.GetMonitorRunAsync(name, "0000"));
        Assert.True(unknown.IsNotFound);
    }

    [Fact]
    public async Task DownloadMonitorReport_HtmlAndJson_TheRunsReports()
    {
        var name = Names.Unique("report");
        await Client.CreateMonitorAsync(fixture.DatasetSpec(name));
        var run = await Client.RunMonitorAsync(name);

        using var html = new MemoryStream();
        using var json = new MemoryStream();
        await Client.DownloadMonitorReportAsync(name, run.Id, "html", html);
        await Client.DownloadMonitorReportAsync(name, run.Id, "json", json);

        var page = Encoding.UTF8.GetString(html.ToArray());
        Assert.Contains("<html", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(name, page, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.ToArray());
        Assert.Equal(run.Result!.Value.GetRawText(), document.RootElement.GetRawText());
        await Assert.ThrowsAsync<ArgumentException>(() => Client.DownloadMonitorReportAsync(name, run.Id, "pdf", Stream.Null));
    }

    [Fact]
    public async Task RunMonitor_ShiftedTraffic_DatasetDriftAndAFiringAlert()
    {
        var name = Names.Unique("drift");
        await Client.CreateMonitorAsync(fixture.DatasetSpec(name, MonitorFixture.TrafficEndpoint) with
        {
            Window = TimeSpan.FromHours(1),
            Alerts = [new MonitorAlertRule { Name = "share", Kind = "drift_share" }],
        });
        await fixture.SendTrafficAsync(MonitorFixture.TrafficEndpoint, MonitorFixture.Rows(MonitorFixture.ReferenceRows, seed: 2, shift: 2));

        var run = await RunUntilRowsAsync(name, MonitorFixture.ReferenceRows);
        var active = await Client.ListAlertsAsync(name, activeOnly: true);
        var everyMonitor = await Client.ListAlertsAsync();

        Assert.Equal(MonitorRunStatus.Succeeded, run.Status);
        Assert.True(run.DatasetDrift);
        Assert.Equal(MonitorFixture.Features, run.CheckedColumns);
        Assert.Equal(MonitorFixture.Features, run.DriftedColumns);
        Assert.Equal(1.0, run.DriftShare);
        Assert.Equal("diabetes/1", run.ModelVersion);
        var alert = Assert.Single(active);
        Assert.Equal(MonitorAlertStatus.Firing, alert.Status);
        Assert.Equal("share", alert.Rule);
        Assert.Equal(name, alert.Labels["monitor"]);
        Assert.Contains(everyMonitor, a => a.Id == alert.Id);
    }

    /// <summary>Logged requests reach the log files on the server's flush interval, so the first runs may see fewer rows.</summary>
    private async Task<MonitorRun> RunUntilRowsAsync(string name, long rows)
    {
        var deadline = DateTime.UtcNow + LogDeadline;
        while (true)
        {
            var run = await Client.RunMonitorAsync(name);
            if (run.RowsSeen >= rows || run.Status == MonitorRunStatus.Failed)
                return run;
            Assert.True(DateTime.UtcNow < deadline, $"The monitor saw {run.RowsSeen} of {rows} logged rows: {run.Message}");
            await Task.Delay(200);
        }
    }
}
