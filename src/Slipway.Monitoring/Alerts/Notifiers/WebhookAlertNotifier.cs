using System.Text.Json;

namespace Slipway.Monitoring.Alerts.Notifiers;

/// <summary>POSTs Slipway's JSON (<see cref="WebhookPayload"/>) to the channel URL, one request per alert.</summary>
internal sealed class WebhookAlertNotifier(AlertHttpSender sender) : IAlertNotifier
{
    public string ChannelType => "webhook";

    public bool Resends => false;

    public async Task<bool> SendAsync(AlertChannelSpec channel, IReadOnlyList<AlertState> alerts, CancellationToken ct)
    {
        var delivered = true;
        foreach (var alert in alerts)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(WebhookPayload.From(alert), AlertJsonContext.Default.WebhookPayload);
            delivered &= await sender.PostAsync(channel, channel.Url, body, ct);
        }
        return delivered;
    }
}
