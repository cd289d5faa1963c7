using System.Text.Json;
using Slipway.Monitoring.Alerts;
using static Slipway.Monitoring.Tests.Alerts.AlertTestData;

namespace Slipway.Monitoring.Tests.Alerts;

/// <summary>The dispatcher against a real Alertmanager: what it posts is what Alertmanager shows and notifies.</summary>
public sealed class AlertmanagerIntegrationTests(AlertmanagerFixture alertmanager) : IClassFixture<AlertmanagerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private const string RunUrl = "https://slipway.example/monitors/am-integration/runs/1";

    [Fact]
    public async Task Dispatcher_FiringResentThenResolved_IsTrackedByAlertmanager()
    {
        // The system clock: Alertmanager judges endsAt by its own (the same) clock.
        await using var alerting = new AlertingHarness(new AlertingOptions
        {
            AllowLocalAddresses = true,
            ResendInterval = TimeSpan.FromSeconds(1),
            RetryDelay = TimeSpan.FromMilliseconds(100),
        });
        var spec = Spec("am-integration", [Rule("feature_drift", feature: "age", name: "age-drift")],
            [new AlertChannelSpec { Name = "am", Type = "alertmanager", Url = alertmanager.BaseUrl }]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var started = Assert.Single(await alerting.Dispatcher.ProcessRunAsync(spec, Run(spec.Name, Drift(("in_age", true))), RunUrl, default));
        Assert.NotNull(started.State.LastSentAt);

        var active = await PollAsync(() => FindAsync(http, "/api/v2/alerts?active=true"), a => a is not null, "the alert to appear");
        Assert.Equal(started.State.Labels, Strings(active!.Value.GetProperty("labels")));
        var annotations = Strings(active.Value.GetProperty("annotations"));
        Assert.Equal(("wasserstein", "0.23", "0.1", "7"),
            (annotations["method"], annotations["score"], annotations["threshold"], annotations["model_version"]));
        Assert.Equal(RunUrl, active.Value.GetProperty("generatorURL").GetString());
        Assert.Equal("active", active.Value.GetProperty("status").GetProperty("state").GetString());
        Assert.Equal(started.State.StartsAt, active.Value.GetProperty("startsAt").GetDateTimeOffset());
        var firstEndsAt = active.Value.GetProperty("endsAt").GetDateTimeOffset();

        // The periodic re-send pushes endsAt forward while the alert fires.
        await alerting.Dispatcher.StartAsync(default);
        try
        {
            await PollAsync(() => FindAsync(http, "/api/v2/alerts?active=true"),
                a => a is { } alert && alert.GetProperty("endsAt").GetDateTimeOffset() > firstEndsAt, "a re-send to move endsAt");

            // Re-sends keep running: were the resolution not taken, the alert would stay active.
            var resolved = Assert.Single(await alerting.Dispatcher.ProcessRunAsync(spec, Run(spec.Name, Drift(("in_age", false))), RunUrl, default));
            Assert.Equal(AlertChange.Resolved, resolved.Change);

            await PollAsync(() => FindAsync(http, "/api/v2/alerts?active=true"), a => a is null, "the alert to leave the active list");
            Assert.Null(await FindAsync(http, "/api/v2/alerts"));

            // Alertmanager's own resolved notification carries our resolve time, not a timeout.
            var notification = await PollAsync(() => Task.FromResult(ResolvedNotification()), n => n is not null, "Alertmanager's resolved notification");
            Assert.Equal(resolved.State.EndsAt, notification!.Value.GetProperty("endsAt").GetDateTimeOffset());
            Assert.Equal(started.State.Labels, Strings(notification.Value.GetProperty("labels")));
        }
        finally
        {
            await alerting.Dispatcher.StopAsync(default);
        }
    }

    /// <summary>Our alert (by its monitor label) in a GET of Alertmanager's alerts, or null.</summary>
    private async Task<JsonElement?> FindAsync(HttpClient http, string pathAndQuery)
    {
        var body = await http.GetStringAsync(alertmanager.BaseUrl + pathAndQuery);
        foreach (var alert in JsonDocument.Parse(body).RootElement.EnumerateArray())
        {
            if (alert.GetProperty("labels").TryGetProperty("monitor", out var monitor) && monitor.GetString() == "am-integration")
                return alert.Clone();
        }
        return null;
    }

    private JsonElement? ResolvedNotification()
    {
        foreach (var request in alertmanager.Receiver.Requests.Where(r => r.Path == "/am-webhook"))
        {
            foreach (var alert in request.Json.GetProperty("alerts").EnumerateArray())
            {
                if (alert.GetProperty("status").GetString() == "resolved" && alert.GetProperty("labels").GetProperty("monitor").GetString() == "am-integration")
                    return alert.Clone();
            }
        }
        return null;
    }

    private async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out waiting for {what}. Alertmanager's log:\n{alertmanager.LogTail}");
            await Task.Delay(100);
        }
    }

    private static Dictionary<string, string> Strings(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
}
