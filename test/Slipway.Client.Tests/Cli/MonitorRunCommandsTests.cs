using System.Text.Json;
using Slipway.Client.Tests.Infrastructure;
using Slipway.Client.Tests.Monitors;

namespace Slipway.Client.Tests.Cli;

/// <summary><c>slipway monitors run|history|report|alerts</c> against a real server: summaries, tables, files and exit codes.</summary>
public sealed class MonitorRunCommandsTests(MonitorFixture fixture) : IClassFixture<MonitorFixture>
{
    private static readonly TimeSpan LogDeadline = TimeSpan.FromSeconds(30);

    private readonly string _uri = fixture.TrackingUri;

    [Fact]
    public async Task RunHistoryReport_NoTraffic_SucceedsAndWritesTheReports()
    {
        var name = Names.Unique("cli-quiet");
        await fixture.Client.CreateMonitorAsync(fixture.DatasetSpec(name));

        var first = await RunAsync("run", name);
        var second = await RunAsync("run", name, "--json");
        var runId = JsonDocument.Parse(second.Out).RootElement.GetProperty("id").GetString()!;
        var history = await RunAsync("history", name, "--max-results", "1");
        var allHistory = await RunAsync("history", name, "--json");
        var htmlPath = fixture.Files.Combine(name + ".html");
        var jsonPath = fixture.Files.Combine(name + ".json");
        var html = await RunAsync("report", name, runId, "--out", htmlPath);
        var json = await RunAsync("report", name, runId, "--out", jsonPath);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains(": succeeded", first.Out, StringComparison.Ordinal);
        Assert.Contains("No traffic", first.Out, StringComparison.Ordinal);
        Assert.Contains($"monitors/{name}/runs/", first.Out, StringComparison.Ordinal);
        Assert.Contains("slipway monitors report", first.Out, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains(runId, history.Out, StringComparison.Ordinal);
        Assert.Contains("--page-token", history.Out, StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(allHistory.Out).RootElement.GetProperty("runs").GetArrayLength());
        Assert.True(html.ExitCode == 0, html.Error);
        Assert.Contains("<html", await File.ReadAllTextAsync(htmlPath), StringComparison.OrdinalIgnoreCase);
        Assert.True(json.ExitCode == 0, json.Error);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(await File.ReadAllTextAsync(jsonPath)).RootElement.ValueKind);
        Assert.Single(Directory.GetFiles(fixture.Files.Path, name + ".html*"));
    }

    [Fact]
    public async Task Run_ReferenceMissing_ExitOneWithTheReason()
    {
        var name = Names.Unique("cli-noref");
        await fixture.Client.CreateMonitorAsync(fixture.DatasetSpec(name) with { Reference = MonitorReference.Dataset(fixture.ReferenceUri + ".gone") });

        var result = await RunAsync("run", name);
        var runId = (await fixture.Client.ListMonitorRunsAsync(name)).Items.Single().Id;
        var report = await RunAsync("report", name, runId, "--out", fixture.Files.Combine(name + ".html"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(": failed", result.Out, StringComparison.Ordinal);
        Assert.Contains("failed", result.Error, StringComparison.Ordinal);
        Assert.Contains("ref.csv.gone", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, report.ExitCode);
        Assert.Contains("RESOURCE_DOES_NOT_EXIST", report.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(fixture.Files.Path, name + ".html*"));
    }

    [Fact]
    public async Task Run_ShiftedTraffic_FailOnDriftExitsThreeAndTheAlertIsListed()
    {
        var name = Names.Unique("cli-drift");
        await fixture.Client.CreateMonitorAsync(fixture.DatasetSpec(name, MonitorFixture.TrafficEndpoint) with
        {
            Window = TimeSpan.FromHours(1),
            Alerts = [new MonitorAlertRule { Name = "share", Kind = "drift_share", Severity = "critical" }],
        });
        await fixture.SendTrafficAsync(MonitorFixture.TrafficEndpoint, MonitorFixture.Rows(MonitorFixture.ReferenceRows, seed: 3, shift: 2));
        await WaitForRowsAsync(name, MonitorFixture.ReferenceRows);

        var plain = await RunAsync("run", name);
        var failing = await RunAsync("run", name, "--fail-on-drift");
        var failingJson = await RunAsync("run", name, "--fail-on-drift", "--json");
        var alerts = await RunAsync("alerts", name, "--active");
        var allAlerts = await RunAsync("alerts", "--json");

        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.Contains("dataset_drift", plain.Out, StringComparison.Ordinal);
        Assert.Contains($"{MonitorFixture.Features} of {MonitorFixture.Features} columns", plain.Out, StringComparison.Ordinal);
        Assert.Contains("diabetes/1", plain.Out, StringComparison.Ordinal);
        Assert.Equal(3, failing.ExitCode);
        Assert.Contains("Dataset drift", failing.Error, StringComparison.Ordinal);
        Assert.Equal(3, failingJson.ExitCode);
        Assert.True(JsonDocument.Parse(failingJson.Out).RootElement.GetProperty("dataset_drift").GetBoolean());
        Assert.Contains("firing", alerts.Out, StringComparison.Ordinal);
        Assert.Contains("critical", alerts.Out, StringComparison.Ordinal);
        var listed = JsonDocument.Parse(allAlerts.Out).RootElement.GetProperty("alerts");
        Assert.Contains(listed.EnumerateArray(), a => a.GetProperty("monitor").GetString() == name && a.GetProperty("rule").GetString() == "share");
    }

    [Fact]
    public async Task Alerts_UnknownMonitor_ExitOne()
    {
        var result = await RunAsync("alerts", Names.Unique("nobody"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("RESOURCE_DOES_NOT_EXIST", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Logged requests reach the log files on the server's flush interval; wait until the monitor sees them all.</summary>
    private async Task WaitForRowsAsync(string name, long rows)
    {
        var deadline = DateTime.UtcNow + LogDeadline;
        while ((await fixture.Client.RunMonitorAsync(name)).RowsSeen < rows)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Monitor {name} never saw {rows} logged rows.");
            await Task.Delay(200);
        }
    }

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync(["monitors", .. args, "--tracking-uri", _uri]);
}
