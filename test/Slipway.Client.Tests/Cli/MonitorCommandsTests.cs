using System.Text.Json;
using Slipway.Client.Tests.Infrastructure;
using Slipway.Client.Tests.Monitors;

namespace Slipway.Client.Tests.Cli;

/// <summary><c>slipway monitors create|update|get|list|delete</c> against a real server, from options and from spec files.</summary>
public sealed class MonitorCommandsTests(MonitorFixture fixture) : IClassFixture<MonitorFixture>
{
    private readonly string _uri = fixture.TrackingUri;

    [Fact]
    public async Task CreateGetListUpdateDelete_Options_RoundTripThroughTheServer()
    {
        var name = Names.Unique("cli-mon");

        var created = await RunAsync("create", name, "--endpoint", MonitorFixture.QuietEndpoint, "--reference-uri", fixture.ReferenceUri,
            "--window", "6h", "--feature", "f0=in_input_0:num", "--feature", "f1=in_input_1", "--prediction", "pred=out_variable",
            "--schedule", "0 * * * *", "--drift-share", "0.3", "--method", "psi", "--threshold", "0.2", "--max-rows", "5000",
            "--alert-webhook", "https://hooks.example.com/slipway", "--alert-slack", "https://hooks.slack.example.com/T1", "--alert-drift-share", "0.4");
        var shown = await RunAsync("get", name, "--json");
        var table = await RunAsync("get", name);
        var listed = await RunAsync("list", "--endpoint", MonitorFixture.QuietEndpoint, "--json");
        var listTable = await RunAsync("list");
        var updated = await RunAsync("update", name, "--endpoint", MonitorFixture.QuietEndpoint, "--reference-model", "--json");
        var deleted = await RunAsync("delete", name);
        var missing = await RunAsync("get", name);

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Contains($"Created monitor '{name}' on endpoint '{MonitorFixture.QuietEndpoint}'", created.Out, StringComparison.Ordinal);
        var spec = JsonDocument.Parse(shown.Out).RootElement.GetProperty("spec");
        Assert.Equal("6h", spec.GetProperty("window").GetString());
        Assert.Equal(fixture.ReferenceUri, spec.GetProperty("reference").GetProperty("uri").GetString());
        Assert.Equal(
            [("f0", "in_input_0", "num"), ("f1", "in_input_1", null)],
            spec.GetProperty("features").EnumerateArray().Select(f => (f.GetProperty("name").GetString(), f.GetProperty("column").GetString(), f.TryGetProperty("type", out var t) ? t.GetString() : null)));
        Assert.Equal("out_variable", spec.GetProperty("predictions")[0].GetProperty("column").GetString());
        Assert.Equal(0.3, spec.GetProperty("drift_share").GetDouble());
        Assert.Equal("psi", spec.GetProperty("method").GetString());
        Assert.Equal(5000, spec.GetProperty("max_rows").GetInt32());
        Assert.Equal(["webhook-1", "slack-1"], spec.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        var rule = Assert.Single(spec.GetProperty("alerts").EnumerateArray());
        Assert.Equal(("drift_share", 0.4), (rule.GetProperty("kind").GetString(), rule.GetProperty("threshold").GetDouble()));
        Assert.Contains("f0=in_input_0:num", table.Out, StringComparison.Ordinal);
        Assert.Contains("0 * * * *", table.Out, StringComparison.Ordinal);
        Assert.Contains(JsonDocument.Parse(listed.Out).RootElement.GetProperty("monitors").EnumerateArray(), m => m.GetProperty("spec").GetProperty("name").GetString() == name);
        Assert.Contains(name, listTable.Out, StringComparison.Ordinal);
        var replaced = JsonDocument.Parse(updated.Out).RootElement.GetProperty("spec");
        Assert.Equal("model", replaced.GetProperty("reference").GetProperty("kind").GetString());
        Assert.Equal(0, replaced.GetProperty("features").GetArrayLength());
        Assert.Equal(0, replaced.GetProperty("channels").GetArrayLength());
        Assert.Contains($"Deleted monitor '{name}'", deleted.Out, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("RESOURCE_DOES_NOT_EXIST", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAndUpdate_YamlAndJsonFiles_SpecsAsWritten()
    {
        var name = Names.Unique("cli-file");
        var yaml = fixture.Files.WriteFile(name + ".yaml", System.Text.Encoding.UTF8.GetBytes($"""
            # A monitor as a team keeps it in its repository.
            name: {name}
            endpoint: {MonitorFixture.QuietEndpoint}
            reference:
              kind: dataset
              uri: "{fixture.ReferenceUri}"
            window: 12h
            drift_share: 0.25
            features:
              - name: f0
                column: in_input_0
                type: num
                threshold: 0.15
            quality:
              max_out_of_range_share: 0.2
            channels:
              - name: am
                type: alertmanager
                url: http://alertmanager.example.com:9093
                headers:
                  X-Scope: 42
            alerts:
              - name: drifted-features
                kind: feature_drift
                severity: critical
            """));

        var created = await RunAsync("create", "--file", yaml);
        var monitor = await fixture.Client.GetMonitorAsync(name);
        var saved = fixture.Files.WriteFile(name + ".json", System.Text.Encoding.UTF8.GetBytes((await RunAsync("get", name, "--json")).Out.Replace("\"12h\"", "\"1w\"", StringComparison.Ordinal)));
        var updated = await RunAsync("update", name, "--file", saved);

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Equal(TimeSpan.FromHours(12), monitor.Spec.Window);
        Assert.Equal(0.25, monitor.Spec.DriftShare);
        Assert.Equal(new MonitorFeature("f0", "in_input_0", Type: "num", Threshold: 0.15), Assert.Single(monitor.Spec.Features));
        Assert.Equal(0.2, monitor.Spec.Quality?.MaxOutOfRangeShare);
        Assert.Equal("42", Assert.Single(monitor.Spec.Channels).Headers?["X-Scope"]);
        Assert.Equal("critical", Assert.Single(monitor.Spec.Alerts).Severity);
        Assert.True(updated.ExitCode == 0, updated.Error);
        Assert.Equal(TimeSpan.FromDays(7), (await fixture.Client.GetMonitorAsync(name)).Spec.Window);
    }

    [Theory]
    [InlineData("no reference", new[] { "create", "m", "--endpoint", "e" }, "Give exactly one reference")]
    [InlineData("two references", new[] { "create", "m", "--endpoint", "e", "--reference-uri", "runs:/r/a.csv", "--reference-model" }, "Give exactly one reference")]
    [InlineData("half a window", new[] { "create", "m", "--endpoint", "e", "--reference-from", "2026-01-01T00:00:00Z" }, "--reference-to")]
    [InlineData("no endpoint", new[] { "create", "m", "--reference-model" }, "--endpoint is required")]
    [InlineData("no name", new[] { "create", "--endpoint", "e", "--reference-model" }, "Name the monitor")]
    [InlineData("bad feature", new[] { "update", "m", "--endpoint", "e", "--reference-model", "--feature", "f0" }, "--feature 'f0'")]
    [InlineData("bad feature type", new[] { "create", "m", "--endpoint", "e", "--reference-model", "--feature", "f0=in_input_0:float" }, "NAME=COLUMN:num|cat")]
    [InlineData("bad prediction", new[] { "create", "m", "--endpoint", "e", "--reference-model", "--prediction", "p=out_label:cat" }, "--prediction 'p=out_label:cat'")]
    [InlineData("bad window", new[] { "create", "m", "--endpoint", "e", "--reference-model", "--window", "soon" }, "--window 'soon'")]
    [InlineData("file and options", new[] { "create", "--file", "spec.yaml", "--endpoint", "e" }, "do not combine it with --endpoint")]
    [InlineData("missing file", new[] { "create", "--file", "/nonexistent/spec.yaml" }, "cannot be read")]
    [InlineData("bad window end", new[] { "run", "m", "--window-end", "yesterday" }, "--window-end 'yesterday'")]
    [InlineData("bad report format", new[] { "report", "m", "r", "--out", "x", "--format", "pdf" }, "pdf")]
    public async Task Commands_BadArguments_UsageErrorWithoutCallingTheServer(string scenario, string[] args, string expected)
    {
        // A closed port: a usage error must be found before any request is sent.
        var result = await CliRunner.RunAsync(["monitors", .. args, "--tracking-uri", Names.ClosedPortAddress().ToString()]);

        Assert.True(result.ExitCode == 2, $"{scenario}: exit {result.ExitCode}, {result.Error}");
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ServerRejectsSpec_FailsWithTheServersMessage()
    {
        var result = await RunAsync("create", Names.Unique("cli-bad"), "--endpoint", MonitorFixture.QuietEndpoint, "--reference-model", "--drift-share", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("INVALID_PARAMETER_VALUE", result.Error, StringComparison.Ordinal);
        Assert.Contains("drift_share must be in (0, 1]", result.Error, StringComparison.Ordinal);
    }

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync(["monitors", .. args, "--tracking-uri", _uri]);
}
