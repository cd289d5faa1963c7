using System.Text.Json;
using Slipway.Monitoring.Alerts;
using static Slipway.Monitoring.Tests.Alerts.AlertTestData;

namespace Slipway.Monitoring.Tests.Alerts;

public sealed class AlertNotifierTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = T0.AddMinutes(2);
    private readonly AlertingHarness _alerting = new(
        new AlertingOptions { AllowLocalAddresses = true, ResendInterval = TimeSpan.FromMinutes(1), RetryDelay = TimeSpan.FromMilliseconds(10) },
        new ManualClock(Now));
    private CapturingReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await CapturingReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _alerting.DisposeAsync();
    }

    private static AlertState FiringAge(string? runUrl = "https://slipway.example/monitors/churn/runs/9", string feature = "age")
    {
        var spec = Spec("churn", [Rule("feature_drift", feature: feature)]) with
        {
            Features = [new Slipway.Monitoring.Monitors.FeatureSpec { Name = feature, Column = "in_age" }],
        };
        return AlertEvaluator.Evaluate(spec, Run("churn", Drift(("in_age", true))), [], T0, runUrl).Single().State;
    }

    private AlertChannelSpec Channel(string type, string path = "/hook", IReadOnlyDictionary<string, string>? headers = null) =>
        new() { Name = type, Type = type, Url = _receiver.BaseUrl + path, Headers = headers };

    [Fact]
    public async Task Webhook_FiringAlert_PostsSlipwayJsonWithChannelHeaders()
    {
        var alert = FiringAge();

        var sent = await _alerting.Notifier("webhook").SendAsync(
            Channel("webhook", headers: new Dictionary<string, string> { ["Authorization"] = "Bearer t0ken" }), [alert], default);

        Assert.True(sent);
        var request = Assert.Single(_receiver.Requests);
        Assert.Equal(("POST", "/hook"), (request.Method, request.Path));
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Equal("Bearer t0ken", request.Headers["Authorization"]);
        var body = request.Json;
        Assert.Equal("1", body.GetProperty("version").GetString());
        Assert.Equal("firing", body.GetProperty("status").GetString());
        var payload = body.GetProperty("alert");
        Assert.Equal("age", payload.GetProperty("labels").GetProperty("feature").GetString());
        Assert.Equal("0.23", payload.GetProperty("annotations").GetProperty("score").GetString());
        Assert.Equal("2026-05-01T10:00:00.000Z", payload.GetProperty("startsAt").GetString());
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("endsAt").ValueKind);
        Assert.Equal(alert.Fingerprint, payload.GetProperty("fingerprint").GetString());
        Assert.Equal("churn", payload.GetProperty("monitor").GetString());
        Assert.Equal("r1", payload.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Slack_FiringAndResolved_PostsIncomingWebhookMessagesWithPrefixAndEscaping()
    {
        var firing = FiringAge(feature: "<!channel>");
        var resolved = firing with { Status = AlertStatus.Resolved, EndsAt = Now };

        Assert.True(await _alerting.Notifier("slack").SendAsync(Channel("slack", "/services/T0/B0/secret"), [firing, resolved], default));

        var messages = _receiver.Requests.Select(r => r.Json).ToList();
        Assert.Equal(2, messages.Count);
        var text = messages[0].GetProperty("text").GetString()!;
        Assert.StartsWith(":rotating_light: [FIRING] ", text);
        Assert.Contains("&lt;!channel&gt;", text);
        Assert.DoesNotContain("<!channel>", messages[0].GetRawText().Replace("\\u003C", "<").Replace("\\u003E", ">"));
        var blocks = messages[0].GetProperty("blocks");
        Assert.Equal("section", blocks[0].GetProperty("type").GetString());
        Assert.Equal("mrkdwn", blocks[0].GetProperty("text").GetProperty("type").GetString());
        Assert.Contains("0.23", blocks[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Contains("<https://slipway.example/monitors/churn/runs/9|run>", blocks[1].GetProperty("elements")[0].GetProperty("text").GetString());
        Assert.StartsWith(":white_check_mark: [RESOLVED] ", messages[1].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Alertmanager_FiringAndResolved_PostsPostableAlertsArrayToApiV2()
    {
        var firing = FiringAge();
        var resolved = FiringAge(runUrl: "relative/not-a-uri", feature: "plan") with { Status = AlertStatus.Resolved, EndsAt = Now };

        Assert.True(await _alerting.Notifier("alertmanager").SendAsync(Channel("alertmanager", "/am/"), [firing, resolved], default));

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("/am/api/v2/alerts", request.Path);
        var alerts = request.Json.EnumerateArray().ToList();
        Assert.Equal(2, alerts.Count);
        Assert.Equal("SlipwayFeatureDrift", alerts[0].GetProperty("labels").GetProperty("alertname").GetString());
        Assert.Equal("wasserstein", alerts[0].GetProperty("annotations").GetProperty("method").GetString());
        Assert.Equal("2026-05-01T10:00:00.000Z", alerts[0].GetProperty("startsAt").GetString());
        // Firing: now + 3 re-send intervals, so Alertmanager resolves it by itself if the re-sends stop.
        Assert.Equal("2026-05-01T10:05:00.000Z", alerts[0].GetProperty("endsAt").GetString());
        Assert.Equal("https://slipway.example/monitors/churn/runs/9", alerts[0].GetProperty("generatorURL").GetString());
        Assert.Equal("2026-05-01T10:02:00.000Z", alerts[1].GetProperty("endsAt").GetString());
        Assert.False(alerts[1].TryGetProperty("generatorURL", out _));
    }

    [Fact]
    public async Task Send_ServerErrorThenSuccess_RetriesAndSucceeds()
    {
        _receiver.Statuses.Enqueue(503);

        Assert.True(await _alerting.Notifier("webhook").SendAsync(Channel("webhook"), [FiringAge()], default));

        Assert.Equal(2, _receiver.Requests.Count);
    }

    [Fact]
    public async Task Send_PersistentServerError_GivesUpAfterMaxAttemptsWithoutThrowing()
    {
        for (var i = 0; i < 5; i++)
            _receiver.Statuses.Enqueue(500);

        Assert.False(await _alerting.Notifier("alertmanager").SendAsync(Channel("alertmanager", ""), [FiringAge()], default));

        Assert.Equal(3, _receiver.Requests.Count);
    }

    [Fact]
    public async Task Send_ClientError_IsNotRetried()
    {
        _receiver.Statuses.Enqueue(400);

        Assert.False(await _alerting.Notifier("webhook").SendAsync(Channel("webhook"), [FiringAge()], default));

        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task Slack_Failure_LogsOnlySchemeHostAndPortOfTheSecretUrl()
    {
        for (var i = 0; i < 5; i++)
            _receiver.Statuses.Enqueue(500);

        Assert.False(await _alerting.Notifier("slack").SendAsync(Channel("slack", "/services/T0/B0/XSECRETX"), [FiringAge()], default));

        var lines = _alerting.Logs.Where(l => l.Contains("slack", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.Contains(lines, l => l.Contains(_receiver.BaseUrl, StringComparison.Ordinal));
        Assert.DoesNotContain(_alerting.Logs, l => l.Contains("XSECRETX", StringComparison.Ordinal) || l.Contains("/services/", StringComparison.Ordinal));
    }
}
