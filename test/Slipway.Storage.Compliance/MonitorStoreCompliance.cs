using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Monitoring.Alerts;
using Slipway.Monitoring.Monitors;
using Slipway.Monitoring.Performance;

namespace Slipway.Storage.Compliance;

/// <summary>
/// The behaviour every <see cref="IMonitorStore"/> and <see cref="IAlertStateStore"/> provider must share, inherited
/// by <see cref="SqliteMonitorStoreTests"/> and <see cref="PostgresMonitorStoreTests"/>. Tests share one database per
/// class, so each uses monitor names of its own.
/// </summary>
public abstract class MonitorStoreCompliance(ServicesFixture fixture)
{
    private const long Now = 1_700_000_000_000;
    private const int Racers = 8;
    private static readonly AuditContext Alice = new("alice", "req-alice");

    private IMonitorStore Store => fixture.Get<IMonitorStore>();

    private IAlertStateStore Alerts => fixture.Get<IAlertStateStore>();

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Create_FullSpec_RoundTripsWithNextRunAndAudit()
    {
        var spec = FullSpec(Unique(), "ep-a");

        await Store.CreateAsync(spec, Now + 60_000, Now, Alice, Ct);
        var read = await Store.GetAsync(spec.Name, Ct);
        var (events, _) = await fixture.Audit.SearchAsync(new AuditQuery(MonitorActions.Resource(spec.Name), null, null, 10, 0), Ct);

        Assert.NotNull(read);
        Assert.Equal((Now, Now, (long?)(Now + 60_000)), (read.CreationTime, read.LastUpdatedTime, read.NextRunTime));
        Assert.Equal(MonitorSpecJson.Serialize(spec), MonitorSpecJson.Serialize(read.Spec));
        var created = Assert.Single(events);
        Assert.Equal((MonitorActions.Created, "alice", "req-alice"), (created.Action, created.Actor, created.RequestId));
        Assert.Null(created.Before);
        Assert.Equal(MonitorSpecJson.Serialize(spec), created.After);
    }

    [Fact]
    public async Task Create_DuplicateName_AlreadyExists()
    {
        var name = Unique();
        await Store.CreateAsync(FullSpec(name, "ep"), null, Now, Alice, Ct);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => Store.CreateAsync(FullSpec(name, "ep"), null, Now, Alice, Ct));

        Assert.Equal(ErrorCode.ResourceAlreadyExists, error.Code);
    }

    [Fact]
    public async Task Update_ReplacesSpecAndNextRun_AuditsBeforeAndAfter()
    {
        var name = Unique();
        var before = FullSpec(name, "ep");
        await Store.CreateAsync(before, 5, Now, Alice, Ct);
        var after = before with { Window = TimeSpan.FromHours(6), Schedule = null };

        await Store.UpdateAsync(after, null, Now + 1, Alice, Ct);
        var read = await Store.GetAsync(name, Ct);
        var (events, _) = await fixture.Audit.SearchAsync(new AuditQuery(MonitorActions.Resource(name), MonitorActions.Updated, null, 10, 0), Ct);

        Assert.Equal(TimeSpan.FromHours(6), read!.Spec.Window);
        Assert.Null(read.NextRunTime);
        Assert.Equal(Now + 1, read.LastUpdatedTime);
        var updated = Assert.Single(events);
        Assert.Equal((MonitorSpecJson.Serialize(before), MonitorSpecJson.Serialize(after)), (updated.Before, updated.After));
    }

    [Fact]
    public async Task UpdateAndDelete_UnknownMonitor_NotFound()
    {
        var update = await Assert.ThrowsAsync<SlipwayException>(() => Store.UpdateAsync(FullSpec(Unique(), "ep"), null, Now, Alice, Ct));
        var delete = await Assert.ThrowsAsync<SlipwayException>(() => Store.DeleteAsync(Unique(), Now, Alice, Ct));

        Assert.Equal((ErrorCode.ResourceDoesNotExist, ErrorCode.ResourceDoesNotExist), (update.Code, delete.Code));
    }

    [Fact]
    public async Task List_ByEndpoint_OnlyThatEndpointsMonitorsByName()
    {
        var endpoint = Unique();
        var names = new[] { "b-" + Unique(), "a-" + Unique() };
        foreach (var name in names)
            await Store.CreateAsync(FullSpec(name, endpoint), null, Now, Alice, Ct);
        await Store.CreateAsync(FullSpec(Unique(), "other-" + endpoint), null, Now, Alice, Ct);

        var listed = await Store.ListAsync(endpoint, Ct);

        Assert.Equal(names.Order(StringComparer.Ordinal), listed.Select(m => m.Spec.Name));
    }

    [Fact]
    public async Task TryClaimScheduledRun_Racers_ExactlyOneWinsTheSlot()
    {
        var name = Unique();
        await Store.CreateAsync(FullSpec(name, "ep"), 1000, Now, Alice, Ct);

        var claims = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => Task.Run(() => Store.TryClaimScheduledRunAsync(name, 1000, 2000, Ct))));
        var stale = await Store.TryClaimScheduledRunAsync(name, 1000, 3000, Ct);

        Assert.Single(claims, won => won);
        Assert.False(stale);
        Assert.Equal(2000, (await Store.GetAsync(name, Ct))!.NextRunTime);
    }

    [Fact]
    public async Task Runs_AddUpdateGetAndList_NewestFirstWithPaging()
    {
        var name = Unique();
        await Store.CreateAsync(FullSpec(name, "ep"), null, Now, Alice, Ct);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var id = Guid.CreateVersion7().ToString("N");
            ids.Add(id);
            await Store.AddRunAsync(Run(id, name, Now + i, MonitorRunStatus.Running, null), Ct);
        }
        await Store.UpdateRunAsync(Run(ids[2], name, Now + 2, MonitorRunStatus.Succeeded, """{"x": 1}"""), Ct);

        var first = await Store.ListRunsAsync(name, 2, 0, Ct);
        var rest = await Store.ListRunsAsync(name, 10, 2, Ct);
        var detail = await Store.GetRunAsync(name, ids[2], Ct);

        Assert.Equal([ids[4], ids[3]], first.Items.Select(r => r.Id));
        Assert.True(first.HasMore);
        Assert.Equal([ids[2], ids[1], ids[0]], rest.Items.Select(r => r.Id));
        Assert.False(rest.HasMore);
        Assert.All(first.Items.Concat(rest.Items), r => Assert.Null(r.Result));
        Assert.Equal((MonitorRunStatus.Succeeded, """{"x": 1}""", 0.25, true), (detail!.Status, detail.Result, detail.DriftShare, detail.DatasetDrift));
        Assert.Null(await Store.GetRunAsync("other-" + name, ids[2], Ct));
    }

    [Fact]
    public async Task Delete_RemovesRunsAndAlertsToo()
    {
        var name = Unique();
        await Store.CreateAsync(FullSpec(name, "ep"), null, Now, Alice, Ct);
        await Store.AddRunAsync(Run(Guid.CreateVersion7().ToString("N"), name, Now, MonitorRunStatus.Succeeded, "{}"), Ct);
        await Alerts.UpsertAsync(Alert(name, AlertStatus.Firing, null), Ct);

        await Store.DeleteAsync(name, Now, Alice, Ct);

        Assert.Null(await Store.GetAsync(name, Ct));
        Assert.Empty((await Store.ListRunsAsync(name, 10, 0, Ct)).Items);
        Assert.Empty(await Alerts.ListAsync(name, activeOnly: false, Ct));
    }

    [Fact]
    public async Task AlertStates_UpsertAndList_ActiveKeepsFiringAndRecentlyResolved()
    {
        var name = Unique();
        var now = DateTimeOffset.UtcNow;
        var firing = Alert(name, AlertStatus.Firing, null);
        var recent = Alert(name, AlertStatus.Resolved, now.AddMinutes(-1));
        var old = Alert(name, AlertStatus.Resolved, now.AddHours(-2));
        foreach (var alert in new[] { firing, recent, old })
            await Alerts.UpsertAsync(alert, Ct);
        var updated = firing with { Annotations = new Dictionary<string, string> { ["score"] = "0.5" }, LastSentAt = now };
        await Alerts.UpsertAsync(updated, Ct);

        var all = await Alerts.ListAsync(name, activeOnly: false, Ct);
        var active = await Alerts.ListAsync(name, activeOnly: true, Ct);

        Assert.Equal(3, all.Count);
        Assert.Equal(new[] { firing.Id, recent.Id }.Order(StringComparer.Ordinal), active.Select(a => a.Id).Order(StringComparer.Ordinal));
        var stored = all.Single(a => a.Id == firing.Id);
        Assert.Equal("0.5", stored.Annotations["score"]);
        Assert.Equal(firing.Labels, stored.Labels);
        Assert.Equal(now.ToUnixTimeMilliseconds(), stored.LastSentAt!.Value.ToUnixTimeMilliseconds());
    }

    private static string Unique() => "m" + Guid.NewGuid().ToString("N")[..12];

    private static MonitorSpec FullSpec(string name, string endpoint) => new()
    {
        Name = name,
        Endpoint = endpoint,
        Reference = new ReferenceSpec { Kind = "dataset", Uri = "runs:/abc/ref.csv" },
        Window = TimeSpan.FromDays(1),
        Features = [new FeatureSpec { Name = "age", Column = "in_input_0", Type = "num", Method = "psi", Threshold = 0.2 }],
        Predictions = [new FeatureSpec { Name = "label", Column = "out_label" }],
        Schedule = "0 * * * *",
        Performance = new PerformanceSpec { PredictionColumn = "out_label", ProbabilityColumn = "out_probabilities_1" },
        Alerts = [new AlertRuleSpec { Name = "share", Kind = "drift_share", Threshold = 0.3, Channels = ["hook"] }],
        Channels = [new AlertChannelSpec { Name = "hook", Type = "webhook", Url = "https://example.com/hook", Headers = new Dictionary<string, string> { ["X-Team"] = "ml" } }],
    };

    private static MonitorRunRecord Run(string id, string monitor, long start, MonitorRunStatus status, string? result) =>
        new(id, monitor, "api", status, start, status == MonitorRunStatus.Running ? null : start + 10, start - 3_600_000, start, 1234, "m/1",
            0.25, true, 1, 4, 0, null, "monitors/x/report.html", "monitors/x/report.json", result);

    private static AlertState Alert(string monitor, AlertStatus status, DateTimeOffset? endsAt)
    {
        var started = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeMilliseconds());
        return new AlertState(Guid.NewGuid().ToString("N"), monitor, "share", "fp" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string> { ["alertname"] = "SlipwayDriftShare", ["monitor"] = monitor },
            new Dictionary<string, string> { ["score"] = "0.4" }, status, started, endsAt, null, endsAt ?? started);
    }
}
