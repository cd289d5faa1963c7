using Slipway.Monitoring.Alerts;

namespace Slipway.Storage.Compliance;

/// <summary>
/// <see cref="IAlertStateStore.TryClaimResendAsync"/> as several replicas' alert dispatchers use it: of concurrent
/// claimers of one re-send exactly one wins, and an episode changed since it was read (a run resolved it) is not
/// claimed, so the re-send never writes a stale copy back.
/// </summary>
public abstract class AlertResendClaimCompliance(ServicesFixture fixture)
{
    private IAlertStateStore Alerts => fixture.Get<IAlertStateStore>();

    [Fact]
    public async Task TryClaimResend_EightConcurrentClaimers_ExactlyOneWins()
    {
        var alert = Firing("claim-" + Guid.NewGuid().ToString("N")[..8]);
        await Alerts.UpsertAsync(alert, CancellationToken.None);
        var sentAt = alert.UpdatedAt.AddMinutes(1);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Alerts.TryClaimResendAsync(alert, sentAt, CancellationToken.None))));

        Assert.Single(claims, won => won);
        var stored = Assert.Single(await Alerts.ListAsync(alert.Monitor, activeOnly: false, CancellationToken.None));
        Assert.Equal(sentAt, stored.LastSentAt);
        Assert.Equal(AlertStatus.Firing, stored.Status);
    }

    [Fact]
    public async Task TryClaimResend_EpisodeResolvedSinceRead_NotClaimedAndResolutionKept()
    {
        var seen = Firing("claim-" + Guid.NewGuid().ToString("N")[..8]);
        await Alerts.UpsertAsync(seen, CancellationToken.None);
        var resolvedAt = seen.UpdatedAt.AddSeconds(30);
        await Alerts.UpsertAsync(seen with { Status = AlertStatus.Resolved, EndsAt = resolvedAt, UpdatedAt = resolvedAt }, CancellationToken.None);

        var claimed = await Alerts.TryClaimResendAsync(seen, resolvedAt.AddSeconds(1), CancellationToken.None);

        Assert.False(claimed);
        var stored = Assert.Single(await Alerts.ListAsync(seen.Monitor, activeOnly: false, CancellationToken.None));
        Assert.Equal((AlertStatus.Resolved, (DateTimeOffset?)null), (stored.Status, stored.LastSentAt));
    }

    private static AlertState Firing(string monitor)
    {
        // Whole milliseconds, as the stores keep them.
        var started = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
        return new AlertState(Guid.NewGuid().ToString("N"), monitor, "share", "fp" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string> { ["alertname"] = "SlipwayDriftShare", ["monitor"] = monitor },
            new Dictionary<string, string> { ["score"] = "0.4" }, AlertStatus.Firing, started, null, null, started);
    }
}

public sealed class SqliteAlertResendClaimTests(SqliteServicesFixture fixture)
    : AlertResendClaimCompliance(fixture), IClassFixture<SqliteServicesFixture>;

/// <summary>Needs <c>SLIPWAY_TEST_POSTGRES</c>; <c>./scripts/test.sh</c> starts a server and sets it.</summary>
public sealed class PostgresAlertResendClaimTests(PostgresServicesFixture fixture)
    : AlertResendClaimCompliance(fixture), IClassFixture<PostgresServicesFixture>;
