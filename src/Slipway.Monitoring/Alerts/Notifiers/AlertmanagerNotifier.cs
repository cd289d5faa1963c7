using System.Text.Json;

namespace Slipway.Monitoring.Alerts.Notifiers;

/// <summary>
/// POSTs a monitor's alerts as one array to <c>{url}/api/v2/alerts</c> of a Prometheus Alertmanager (API v2; v1 is
/// gone since 0.27). Alertmanager keeps alerts only as long as clients repeat them, so this channel
/// <see cref="Resends"/>: a firing alert carries <c>endsAt</c> = now + <see cref="AlertingOptions.FiringLifetime"/>
/// (Alertmanager resolves it by itself if the re-sends stop), a resolved one its resolve time, which tells
/// Alertmanager it is over. Labels are the episode's, unchanged, so every post lands on the same alert.
/// </summary>
internal sealed class AlertmanagerNotifier(AlertHttpSender sender, AlertingOptions options, TimeProvider clock) : IAlertNotifier
{
    public const string AlertsPath = "/api/v2/alerts";

    public string ChannelType => "alertmanager";

    public bool Resends => true;

    public Task<bool> SendAsync(AlertChannelSpec channel, IReadOnlyList<AlertState> alerts, CancellationToken ct)
    {
        if (alerts.Count == 0)
            return Task.FromResult(true);
        var body = JsonSerializer.SerializeToUtf8Bytes(Payload(alerts, clock.GetUtcNow()), AlertJsonContext.Default.ListPostableAlert);
        return sender.PostAsync(channel, AlertsUrl(channel.Url), body, ct);
    }

    /// <summary>The postable alerts for <paramref name="alerts"/> as of <paramref name="now"/>.</summary>
    public List<PostableAlert> Payload(IReadOnlyList<AlertState> alerts, DateTimeOffset now)
    {
        var payload = new List<PostableAlert>(alerts.Count);
        foreach (var alert in alerts)
        {
            var endsAt = alert.Status == AlertStatus.Firing ? now + options.FiringLifetime : alert.EndsAt ?? now;
            // Alertmanager rejects an alert that ends before it starts (a clock step back, say).
            if (endsAt < alert.StartsAt)
                endsAt = alert.StartsAt;
            var generatorUrl = alert.Annotations.TryGetValue(AlertLabels.RunUrl, out var runUrl)
                && Uri.TryCreate(runUrl, UriKind.Absolute, out _) ? runUrl : null;
            payload.Add(new PostableAlert(NonEmpty(alert.Labels), NonEmpty(alert.Annotations),
                AlertLabels.Format(alert.StartsAt), AlertLabels.Format(endsAt), generatorUrl));
        }
        return payload;
    }

    /// <summary>The alerts endpoint under a base URL, keeping any path prefix (an Alertmanager behind <c>--web.route-prefix</c>); a URL already naming it stays.</summary>
    public static string AlertsUrl(string baseUrl)
    {
        var query = baseUrl.IndexOfAny(['?', '#']);
        var path = query < 0 ? baseUrl : baseUrl[..query];
        path = path.TrimEnd('/');
        return path.EndsWith(AlertsPath, StringComparison.Ordinal) ? path : path + AlertsPath;
    }

    private static IReadOnlyDictionary<string, string> NonEmpty(IReadOnlyDictionary<string, string> values)
    {
        foreach (var value in values.Values)
        {
            if (string.IsNullOrEmpty(value))
                return values.Where(pair => !string.IsNullOrEmpty(pair.Value)).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        }
        return values;
    }
}
