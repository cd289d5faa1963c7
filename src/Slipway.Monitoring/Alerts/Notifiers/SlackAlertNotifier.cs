using System.Text;
using System.Text.Json;

namespace Slipway.Monitoring.Alerts.Notifiers;

/// <summary>
/// POSTs a Slack incoming-webhook message per alert: <c>text</c> (<c>[FIRING] summary</c> or <c>[RESOLVED] summary</c>,
/// what notifications and clients without blocks show) and <c>blocks</c> with the description and the context.
/// The URL is the secret of the Slack integration; the sender logs only its host.
/// </summary>
internal sealed class SlackAlertNotifier(AlertHttpSender sender) : IAlertNotifier
{
    // Slack rejects a section text over 3000 characters; escaping can lengthen the description, the rest is short.
    private const int MaxDescription = 2000;

    public string ChannelType => "slack";

    public bool Resends => false;

    public async Task<bool> SendAsync(AlertChannelSpec channel, IReadOnlyList<AlertState> alerts, CancellationToken ct)
    {
        var delivered = true;
        foreach (var alert in alerts)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(Message(alert), AlertJsonContext.Default.SlackMessage);
            delivered &= await sender.PostAsync(channel, channel.Url, body, ct);
        }
        return delivered;
    }

    public static SlackMessage Message(AlertState alert)
    {
        var firing = alert.Status == AlertStatus.Firing;
        var prefix = firing ? "[FIRING]" : "[RESOLVED]";
        var summary = Annotation(alert, AlertLabels.Summary) ?? $"{Label(alert, AlertLabels.AlertName)} on monitor {alert.Monitor}";
        var text = $"{(firing ? ":rotating_light:" : ":white_check_mark:")} {prefix} {summary}";

        var detail = new StringBuilder().Append('*').Append(Escape($"{prefix} {summary}")).Append('*');
        if (Annotation(alert, AlertLabels.Description) is { } description)
            detail.Append('\n').Append(Escape(description.Length <= MaxDescription ? description : description[..MaxDescription] + "…"));
        if (!firing && alert.EndsAt is { } endsAt)
            detail.Append("\nResolved at ").Append(AlertLabels.Format(endsAt));

        var context = new StringBuilder()
            .Append("monitor `").Append(Escape(alert.Monitor)).Append('`')
            .Append(" · rule `").Append(Escape(alert.Rule)).Append('`');
        AppendPart(context, "endpoint", Label(alert, AlertLabels.Endpoint));
        AppendPart(context, "feature", Label(alert, AlertLabels.Feature));
        AppendPart(context, "severity", Label(alert, AlertLabels.Severity));
        AppendPart(context, "model version", Annotation(alert, AlertLabels.ModelVersion));
        context.Append(" · since ").Append(AlertLabels.Format(alert.StartsAt));
        if (Annotation(alert, AlertLabels.RunUrl) is { } runUrl && Uri.TryCreate(runUrl, UriKind.Absolute, out _))
            context.Append(" · <").Append(Escape(runUrl)).Append("|run>");

        return new SlackMessage(Escape(text), [
            new SlackBlock("section", Text: new SlackText("mrkdwn", detail.ToString())),
            new SlackBlock("context", Elements: [new SlackText("mrkdwn", context.ToString())]),
        ]);
    }

    private static void AppendPart(StringBuilder context, string name, string? value)
    {
        if (value is not null)
            context.Append(" · ").Append(name).Append(" `").Append(Escape(value)).Append('`');
    }

    private static string? Label(AlertState alert, string name) => alert.Labels.TryGetValue(name, out var value) ? value : null;

    private static string? Annotation(AlertState alert, string name) => alert.Annotations.TryGetValue(name, out var value) ? value : null;

    // Slack's mrkdwn reads &, < and > as markup (links, mentions); a feature named "<!channel>" must stay text.
    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
