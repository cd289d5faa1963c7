using Prometheus;

namespace Slipway.Monitoring.Alerts;

/// <summary>Prometheus metrics of alert delivery: notifications by channel type and outcome, firing alerts by monitor.</summary>
public static class AlertMetrics
{
    public static readonly Counter Notifications = Metrics.CreateCounter(
        "slipway_alert_notifications_total",
        "Alert notifications by channel type (webhook, slack, alertmanager) and result (sent, failed); a retried notification counts once.",
        new CounterConfiguration { LabelNames = ["channel_type", "result"] });

    public static readonly Gauge Firing = Metrics.CreateGauge(
        "slipway_alerts_firing", "Alert episodes firing, by monitor.",
        new GaugeConfiguration { LabelNames = ["monitor"] });

    internal static void CountNotification(string channelType, bool sent) =>
        Notifications.WithLabels(channelType, sent ? "sent" : "failed").Inc();

    /// <summary>Sets each listed monitor's firing count; monitors in <paramref name="known"/> without firing alerts go to 0.</summary>
    internal static void SetFiring(IEnumerable<AlertState> active, IEnumerable<string> known)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var monitor in known)
            counts[monitor] = 0;
        foreach (var alert in active)
        {
            counts.TryGetValue(alert.Monitor, out var count);
            counts[alert.Monitor] = alert.Status == AlertStatus.Firing ? count + 1 : count;
        }
        foreach (var (monitor, count) in counts)
            Firing.WithLabels(monitor).Set(count);
    }
}
