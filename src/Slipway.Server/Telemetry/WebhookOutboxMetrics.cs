using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Slipway.Core.Threading;
using Slipway.Registry.Domain;
using Slipway.Storage;

namespace Slipway.Server.Telemetry;

/// <summary>
/// Publishes the webhook outbox as gauges: deliveries still pending (of active webhooks, the only ones the dispatcher
/// attempts) and ones that gave up, and the age of the oldest pending one. They are read from the shared database every <see cref="RefreshInterval"/> (two indexed counts), so
/// every replica reports the same values: aggregate them with <c>max</c>, not <c>sum</c>.
/// </summary>
internal sealed partial class WebhookOutboxMetrics(IDbContextFactory<SlipwayDbContext> factory, TimeProvider time, ILogger<WebhookOutboxMetrics> logger)
    : BackgroundService
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    public static readonly Gauge Deliveries = Metrics.CreateGauge(
        "slipway_webhook_deliveries", "Webhook deliveries in the outbox by status: pending (waiting or retrying, active webhooks only) or failed (gave up).",
        new GaugeConfiguration { LabelNames = ["status"] });

    public static readonly Gauge OldestPendingAge = Metrics.CreateGauge(
        "slipway_webhook_oldest_pending_age_seconds", "Age of the oldest webhook delivery of an active webhook still pending; 0 when none is.");

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(RefreshInterval, time, runFirst: true, RefreshAsync, e => LogRefreshFailed(logger, e), stoppingToken);

    private async Task RefreshAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var outbox = await WebhookOutboxSnapshot.ReadAsync(db, time.GetUtcNow(), ct);
        Deliveries.WithLabels(DeliveryStatus.Pending).Set(outbox.Pending);
        Deliveries.WithLabels(DeliveryStatus.Failed).Set(outbox.Failed);
        OldestPendingAge.Set(outbox.OldestPendingAge.TotalSeconds);
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Could not read the webhook outbox for its metrics")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}

/// <summary>The outbox figures the gauges publish, read from the metadata database.</summary>
/// <param name="Pending">Deliveries waiting or retrying, of active webhooks only.</param>
/// <param name="Failed">Deliveries that gave up.</param>
/// <param name="OldestPendingAge">Age of the oldest of <paramref name="Pending"/>; zero when there is none.</param>
public sealed record WebhookOutboxSnapshot(int Pending, int Failed, TimeSpan OldestPendingAge)
{
    /// <summary>Reads the snapshot at <paramref name="now"/> (two indexed counts and a minimum).</summary>
    public static async Task<WebhookOutboxSnapshot> ReadAsync(SlipwayDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        // Only deliveries of active webhooks: a deactivated webhook's pending deliveries are never attempted (the
        // dispatcher's due query joins on active webhooks too), so counting them would hold the backlog alert forever.
        var pending = db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && db.Webhooks.Any(w => w.Id == d.WebhookId && w.Active));
        var pendingCount = await pending.CountAsync(ct);
        var failedCount = await db.WebhookDeliveries.AsNoTracking().CountAsync(d => d.Status == DeliveryStatus.Failed, ct);
        long? oldest = pendingCount == 0 ? null : await pending.MinAsync(d => (long?)d.CreatedTime, ct);
        var age = oldest is { } created ? Math.Max(0, now.ToUnixTimeMilliseconds() - created) : 0;
        return new WebhookOutboxSnapshot(pendingCount, failedCount, TimeSpan.FromMilliseconds(age));
    }
}
