using System.Text.Json.Serialization;

namespace Slipway.Monitoring.Alerts.Notifiers;

/// <summary>
/// Slipway's webhook body, one per alert state change:
/// <c>{"version":"1","status":"firing"|"resolved","alert":{labels, annotations, startsAt, endsAt, fingerprint, monitor, rule}}</c>.
/// Times are RFC 3339 UTC; <c>endsAt</c> is null while the alert fires.
/// </summary>
internal sealed record WebhookPayload(string Version, string Status, WebhookAlert Alert)
{
    public const string CurrentVersion = "1";

    public static WebhookPayload From(AlertState alert) => new(CurrentVersion, StatusName(alert.Status), new WebhookAlert(
        alert.Labels, alert.Annotations, AlertLabels.Format(alert.StartsAt),
        alert.EndsAt is { } endsAt ? AlertLabels.Format(endsAt) : null,
        alert.Fingerprint, alert.Monitor, alert.Rule));

    public static string StatusName(AlertStatus status) => status == AlertStatus.Firing ? "firing" : "resolved";
}

internal sealed record WebhookAlert(
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    string StartsAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? EndsAt,
    string Fingerprint,
    string Monitor,
    string Rule);

/// <summary>A Slack incoming-webhook message: <c>text</c> is the notification fallback, <c>blocks</c> the layout.</summary>
internal sealed record SlackMessage(string Text, IReadOnlyList<SlackBlock>? Blocks);

internal sealed record SlackBlock(string Type, SlackText? Text = null, IReadOnlyList<SlackText>? Elements = null);

internal sealed record SlackText(string Type, string Text);

/// <summary>One element of Alertmanager's <c>postableAlerts</c> (<c>POST /api/v2/alerts</c>).</summary>
internal sealed record PostableAlert(
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    string StartsAt,
    string EndsAt,
    [property: JsonPropertyName("generatorURL")] string? GeneratorUrl);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WebhookPayload))]
[JsonSerializable(typeof(SlackMessage))]
[JsonSerializable(typeof(List<PostableAlert>))]
internal sealed partial class AlertJsonContext : JsonSerializerContext;
