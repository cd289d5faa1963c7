using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Slipway.Core.Threading;
using Slipway.Registry.Domain;
using Slipway.Storage;

namespace Slipway.Server.Telemetry;

/// <summary>
/// Publishes the webhook outbox as gauges: deliveries still pending and ones that gave up, and the age of the oldest
/// pending one. They are read from the shared database every <see cref="RefreshInterval"/> (two indexed counts), so
/// every replica reports the same values: aggregate them with <c>max</c>, not <c>sum</c>.
/// </summary>
internal sealed partial class WebhookOutboxMetrics(IDbContextFactory<SlipwayDbContext> factory, TimeProvider time, ILogger<WebhookOutboxMetrics> logger)
    : BackgroundService
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    public static readonly Gauge Deliveries = Metrics.CreateGauge(
        "slipway_webhook_deliveries", "Webhook deliveries in the outbox by status: pending (waiting or retrying) or failed (gave up).",
        new GaugeConfiguration { LabelNames = ["status"] });

    public static readonly Gauge OldestPendingAge = Metrics.CreateGauge(
        "slipway_webhook_oldest_pending_age_seconds", "Age of the oldest webhook delivery still pending; 0 when none is.");

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(RefreshInterval, time, runFirst: true, RefreshAsync, e => LogRefreshFailed(logger, e), stoppingToken);

    private async Task RefreshAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var pending = db.WebhookDeliveries.AsNoTracking().Where(d => d.Status == DeliveryStatus.Pending);
        var pendingCount = await pending.CountAsync(ct);
        var failedCount = await db.WebhookDeliveries.AsNoTracking().CountAsync(d => d.Status == DeliveryStatus.Failed, ct);
        long? oldest = pendingCount == 0 ? null : await pending.MinAsync(d => (long?)d.CreatedTime, ct);
        Deliveries.WithLabels(DeliveryStatus.Pending).Set(pendingCount);
        Deliveries.WithLabels(DeliveryStatus.Failed).Set(failedCount);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        OldestPendingAge.Set(oldest is { } created ? Math.Max(0, now - created) / 1000.0 : 0);
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Could not read the webhook outbox for its metrics")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
