using Slipway.Monitoring.Alerts;
using Slipway.Monitoring.Monitors;
using static Slipway.Monitoring.Tests.Alerts.AlertTestData;

namespace Slipway.Monitoring.Tests.Alerts;

public sealed class AlertDispatcherTests : IAsyncLifetime
{
    private readonly AlertingHarness _alerting = new(
        new AlertingOptions { AllowLocalAddresses = true, RetryDelay = TimeSpan.FromMilliseconds(10) }, new ManualClock(T0));
    private CapturingReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await CapturingReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _alerting.DisposeAsync();
    }

    private ManualClock Clock => _alerting.Clock!;

    // Static Prometheus series are shared by every test: each test uses its own monitor name.
    private MonitorSpec Monitor(string name, IReadOnlyList<string>? ruleChannels = null, IReadOnlyList<string>? actions = null) =>
        Spec(name, [Rule("feature_drift", feature: "age", channels: ruleChannels, actions: actions)],
        [
            new AlertChannelSpec { Name = "hook", Type = "webhook", Url = _receiver.BaseUrl + "/hook" },
            new AlertChannelSpec { Name = "am", Type = "alertmanager", Url = _receiver.BaseUrl },
        ]);

    private List<string> Paths() => _receiver.Requests.Select(r => r.Path).ToList();

    [Fact]
    public async Task ProcessRunAsync_BreachTwiceThenClear_NotifiesWebhookOfChangesAndAlertmanagerOfEveryRun()
    {
        var spec = Monitor("dispatch-lifecycle");

        var started = Assert.Single(await _alerting.Dispatcher.ProcessRunAsync(spec, Run(spec.Name, Drift(("in_age", true))), null, default));
        Assert.Equal(AlertChange.Started, started.Change);
        Assert.Equal(T0, started.State.LastSentAt);
        Assert.Equal(1, AlertMetrics.Firing.WithLabels(spec.Name).Value);

        Clock.Now = T0.AddHours(1);
        var updated = Assert.Single(await _alerting.Dispatcher.ProcessRunAsync(spec, Run(spec.Name, Drift(("in_age", true))), null, default));
        Assert.Equal(AlertChange.Updated, updated.Change);

        Clock.Now = T0.AddHours(2);
        var resolved = Assert.Single(await _alerting.Dispatcher.ProcessRunAsync(spec, Run(spec.Name, Drift(("in_age", false))), null, default));
        Assert.Equal(AlertChange.Resolved, resolved.Change);
        Assert.Equal(0, AlertMetrics.Firing.WithLabels(spec.Name).Value);

        Assert.Equal(["/api/v2/alerts", "/api/v2/alerts", "/api/v2/alerts", "/hook", "/hook"], Paths().Order());
        var hooks = _receiver.Requests.Where(r => r.Path == "/hook").Select(r => r.Json.GetProperty("status").GetString()).ToList();
        Assert.Equal(["firing", "resolved"], hooks);
        var stored = Assert.Single(_alerting.Store.All);
        Assert.Equal((AlertStatus.Resolved, T0.AddHours(2), T0.AddHours(2)), (stored.Status, stored.EndsAt, stored.LastSentAt));
    }

    [Fact]
    public async Task ProcessRunAsync_Started_CallsEachActionOnceAndSurvivesFailingSink()
    {
        var spec = Monitor("dispatch-actions", actions: ["retrain", "page"]);
        _alerting.Sink.Throw = true;

        await _alerting.Dispatcher.ProcessRunAsync(spec, Run(spec.Name, Drift(("in_age", true))), null, default);
        Clock.Now = T0.AddHours(1);
        await _alerting.Dispatcher.ProcessRunAsync(spec, Run(spec.Name, Drift(("in_age", true))), null, default);

        Assert.Equal(["retrain", "page"], _alerting.Sink.Calls.Select(c => c.Action));
        Assert.All(_alerting.Sink.Calls, c => Assert.Equal(AlertStatus.Firing, c.Alert.Status));
        Assert.Contains(_alerting.Logs, l => l.Contains("retrain", StringComparison.Ordinal) && l.Contains("the sink is broken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProcessRunAsync_StartedRuleWithoutActions_TellsSinksOnceWithEmptyAction()
    {
        var spec = Monitor("dispatch-no-actions");

        await _alerting.Dispatcher.ProcessRunAsync(spec, Run(spec.Name, Drift(("in_age", true))), null, default);
        Clock.Now = T0.AddHours(1);
        await _alerting.Dispatcher.ProcessRunAsync(spec, Run(spec.Name, Drift(("in_age", true))), null, default);

        var call = Assert.Single(_alerting.Sink.Calls);
        Assert.Equal("", call.Action);
        Assert.Equal(spec.Name, call.Alert.Monitor);
    }

    [Fact]
    public async Task ProcessRunAsync_RuleNamingChannels_NotifiesOnlyThose()
    {
        var spec = Monitor("dispatch-routing", ruleChannels: ["am"]);

        await _alerting.Dispatcher.ProcessRunAsync(spec, Run(spec.Name, Drift(("in_age", true))), null, default);

        Assert.Equal(["/api/v2/alerts"], Paths());
    }

    [Fact]
    public async Task ResendAsync_FiringAndRecentlyResolved_ResendsToAlertmanagerOnly()
    {
        var firing = Monitor("dispatch-resend-firing");
        var resolved = Monitor("dispatch-resend-resolved");
        var old = Monitor("dispatch-resend-old");
        await _alerting.Dispatcher.ProcessRunAsync(old, Run(old.Name, Drift(("in_age", true))), null, default);
        await _alerting.Dispatcher.ProcessRunAsync(old, Run(old.Name, Drift(("in_age", false))), null, default);
        Clock.Now = T0.AddMinutes(10);
        await _alerting.Dispatcher.ProcessRunAsync(firing, Run(firing.Name, Drift(("in_age", true))), null, default);
        await _alerting.Dispatcher.ProcessRunAsync(resolved, Run(resolved.Name, Drift(("in_age", true))), null, default);
        await _alerting.Dispatcher.ProcessRunAsync(resolved, Run(resolved.Name, Drift(("in_age", false))), null, default);
        while (_receiver.Requests.TryDequeue(out _))
        {
        }

        // 10 minutes after "old" resolved (past the 5-minute window), 1 minute after the others changed.
        Clock.Now = T0.AddMinutes(11);
        await _alerting.Dispatcher.ResendAsync(default);

        Assert.Equal(["/api/v2/alerts", "/api/v2/alerts"], Paths());
        var posted = _receiver.Requests.Select(r => r.Json[0].GetProperty("labels").GetProperty("monitor").GetString()).Order().ToList();
        Assert.Equal([firing.Name, resolved.Name], posted);
        Assert.All(_alerting.Store.All.Where(a => a.Monitor != old.Name), a => Assert.Equal(T0.AddMinutes(11), a.LastSentAt));
        Assert.Equal(T0, _alerting.Store.All.Single(a => a.Monitor == old.Name).LastSentAt);
    }

    [Fact]
    public async Task ProcessRunAsync_UnreachableChannel_StillStoresEpisodeAndDoesNotThrow()
    {
        var spec = Monitor("dispatch-unreachable") with
        {
            Channels = [new AlertChannelSpec { Name = "hook", Type = "webhook", Url = "http://127.0.0.1:1/hook" }],
        };

        var failedBefore = AlertMetrics.Notifications.WithLabels("webhook", "failed").Value;

        var started = Assert.Single(await _alerting.Dispatcher.ProcessRunAsync(spec, Run(spec.Name, Drift(("in_age", true))), null, default));

        Assert.Null(started.State.LastSentAt);
        Assert.Equal(AlertStatus.Firing, Assert.Single(_alerting.Store.All).Status);
        Assert.True(AlertMetrics.Notifications.WithLabels("webhook", "failed").Value > failedBefore);
    }

    [Fact]
    public async Task ProcessRunAsync_LocalTargetWhileNotAllowed_RefusesWithoutConnecting()
    {
        await using var strict = new AlertingHarness(new AlertingOptions { RetryDelay = TimeSpan.FromMilliseconds(10) }, new ManualClock(T0));
        var spec = Monitor("dispatch-local-refused");

        var started = Assert.Single(await strict.Dispatcher.ProcessRunAsync(spec, Run(spec.Name, Drift(("in_age", true))), null, default));

        Assert.Null(started.State.LastSentAt);
        Assert.Empty(_receiver.Requests);
        Assert.Contains(strict.Logs, l => l.Contains("refused", StringComparison.Ordinal) && l.Contains("after 1 attempts", StringComparison.Ordinal));
    }
}
