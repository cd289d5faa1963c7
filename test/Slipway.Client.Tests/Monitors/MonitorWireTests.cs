using System.Text.Json;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Monitors;

/// <summary>What the monitor methods put on the wire, and the spec's JSON form, checked against a stub server.</summary>
public sealed class MonitorWireTests
{
    private const string MonitorJson = """{"monitor":{"spec":{"name":"m","endpoint":"e","reference":{"kind":"model"},"window":"1d"},"creation_time":1,"last_updated_time":2}}""";

    [Fact]
    public async Task CreateMonitor_Spec_SnakeCaseBodyWithDurationsAndNoNulls()
    {
        var stub = new StubHandler(_ => StubHandler.Json(MonitorJson));
        using var client = StubHandler.CreateClient(stub);

        await client.CreateMonitorAsync(new MonitorSpec
        {
            Name = "m",
            Endpoint = "e",
            Reference = MonitorReference.Dataset("runs:/abc/ref.csv"),
            Window = TimeSpan.FromMinutes(90),
            DriftShare = 0.25,
            Features = [new MonitorFeature("age", "in_input_0", Type: "num")],
        });

        var request = Assert.Single(stub.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/api/slipway/v1/monitors", request.Path);
        Assert.Equal("application/json", request.MediaType);
        var body = request.Json;
        Assert.Equal("90m", body.GetProperty("window").GetString());
        Assert.Equal(0.25, body.GetProperty("drift_share").GetDouble());
        Assert.Equal("""{"kind":"dataset","uri":"runs:/abc/ref.csv"}""", body.GetProperty("reference").GetRawText());
        Assert.Equal("""{"name":"age","column":"in_input_0","type":"num"}""", body.GetProperty("features")[0].GetRawText());
        Assert.False(body.TryGetProperty("schedule", out _));
        Assert.False(body.TryGetProperty("max_rows", out _));
    }

    [Fact]
    public async Task UpdateMonitor_SpecReadWithUnknownFields_SendsThemBack()
    {
        var stub = new StubHandler(_ => StubHandler.Json(MonitorJson));
        using var client = StubHandler.CreateClient(stub);
        var spec = MonitorSpec.FromJson("""{"name":"m","endpoint":"e","reference":{"kind":"model"},"window":"2w","future":{"depth":[1,2]},"max_rows":"500"}""");

        await client.UpdateMonitorAsync(spec with { DriftShare = 0.7 });

        var request = Assert.Single(stub.Requests);
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal("/api/slipway/v1/monitors/m", request.Path);
        Assert.Equal("""{"depth":[1,2]}""", request.Json.GetProperty("future").GetRawText());
        Assert.Equal("2w", request.Json.GetProperty("window").GetString());
        Assert.Equal(500, request.Json.GetProperty("max_rows").GetInt32());
        Assert.Equal(0.7, request.Json.GetProperty("drift_share").GetDouble());
    }

    [Fact]
    public async Task RunMonitor_WindowEnd_SentAsUtcRfc3339()
    {
        var stub = new StubHandler(_ => StubHandler.Json("""{"run":{"id":"r1","monitor":"m","status":"succeeded","rows_seen":3,"dataset_drift":true,"result":{"a":1}}}"""));
        using var client = StubHandler.CreateClient(stub);

        var run = await client.RunMonitorAsync("m", new DateTimeOffset(2026, 1, 15, 12, 30, 0, TimeSpan.FromHours(2)));
        await client.RunMonitorAsync("m");

        Assert.Equal("/api/slipway/v1/monitors/m/runs", stub.Requests[0].Path);
        Assert.Equal("2026-01-15T10:30:00.000Z", stub.Requests[0].Json.GetProperty("window_end").GetString());
        Assert.Equal("{}", stub.Requests[1].Body);
        Assert.Equal(MonitorRunStatus.Succeeded, run.Status);
        Assert.True(run.DatasetDrift);
        Assert.Equal(1, run.Result?.GetProperty("a").GetInt32());
    }

    [Fact]
    public async Task ListCalls_Options_SentAsQueryParameters()
    {
        var stub = new StubHandler(r => StubHandler.Json(r.Path.EndsWith("/runs", StringComparison.Ordinal)
            ? """{"runs":[{"id":"r2","status":"failed","message":"no data"}],"next_page_token":"t2"}"""
            : """{"alerts":[{"id":"a1","status":"firing","labels":{"severity":"warning"}}],"monitors":[]}"""));
        using var client = StubHandler.CreateClient(stub);

        var page = await client.ListMonitorRunsAsync("m", maxResults: 2, pageToken: "t1");
        var alerts = await client.ListAlertsAsync(activeOnly: true);
        await client.ListAlertsAsync("m");
        await client.ListMonitorsAsync("e");

        Assert.Equal("/api/slipway/v1/monitors/m/runs?max_results=2&page_token=t1", stub.Requests[0].Uri.PathAndQuery);
        Assert.Equal("/api/slipway/v1/alerts?active=true", stub.Requests[1].Uri.PathAndQuery);
        Assert.Equal("/api/slipway/v1/monitors/m/alerts", stub.Requests[2].Uri.PathAndQuery);
        Assert.Equal("/api/slipway/v1/monitors?endpoint=e", stub.Requests[3].Uri.PathAndQuery);
        Assert.Equal("t2", page.NextPageToken);
        Assert.Equal(MonitorRunStatus.Failed, Assert.Single(page.Items).Status);
        Assert.Equal("warning", Assert.Single(alerts).Labels["severity"]);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("6h", 21600)]
    [InlineData("1d", 86400)]
    [InlineData("2w", 1209600)]
    [InlineData("01:30:00", 5400)]
    public void MonitorDurations_ServerForms_ParseAndFormatInTheLargestUnit(string text, int seconds)
    {
        Assert.True(MonitorDurations.TryParse(text, out var duration));

        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
        Assert.True(MonitorDurations.TryParse(MonitorDurations.Format(duration), out var again));
        Assert.Equal(duration, again);
        Assert.Equal("90m", MonitorDurations.Format(TimeSpan.FromMinutes(90)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1y")]
    [InlineData("-1d")]
    [InlineData("d")]
    public void MonitorDurations_Nonsense_NotParsed(string text) =>
        Assert.False(MonitorDurations.TryParse(text, out _));

    [Fact]
    public void FromJson_NotASpec_JsonException() =>
        Assert.ThrowsAny<JsonException>(() => MonitorSpec.FromJson("""{"name":"m","window":"soon"}"""));
}
