using System.Text.Json;

namespace Slipway.Client;

/// <summary>A subscription: registry events (optionally of one model) are POSTed to <see cref="Url"/>, signed with its secret.</summary>
public sealed record Webhook
{
    /// <summary>The webhook id.</summary>
    public long Id { get; init; }

    /// <summary>A name for people.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>Where events are POSTed.</summary>
    public string Url { get; init => field = value ?? ""; } = "";

    /// <summary>The event types delivered, or <c>*</c> for all.</summary>
    public IReadOnlyList<string> Events { get; init => field = value ?? []; } = [];

    /// <summary>The only model whose events are delivered; null for every model.</summary>
    public string? ModelName { get; init; }

    /// <summary>False while deliveries are paused.</summary>
    public bool Active { get; init; }

    /// <summary>Creation time, milliseconds since the Unix epoch.</summary>
    public long CreatedTimestamp { get; init; }
}

/// <summary>A newly created webhook and its signing secret, which the server never shows again.</summary>
/// <param name="Webhook">The webhook.</param>
/// <param name="Secret">The secret deliveries are signed with (HMAC-SHA256).</param>
public sealed record CreatedWebhook(Webhook Webhook, string Secret);

/// <summary>One event sent, or to be sent, to a webhook.</summary>
public sealed record WebhookDelivery
{
    /// <summary>The delivery id.</summary>
    public long Id { get; init; }

    /// <summary>The webhook it is for.</summary>
    public long WebhookId { get; init; }

    /// <summary>The event type, e.g. <c>model_version.created</c>.</summary>
    public string Event { get; init => field = value ?? ""; } = "";

    /// <summary>The JSON body that is POSTed (the server may hold it as a JSON string or object).</summary>
    public JsonElement? Payload { get; init; }

    /// <summary><c>pending</c>, <c>delivered</c> or <c>failed</c>.</summary>
    public string Status { get; init => field = value ?? ""; } = "";

    /// <summary>Attempts made so far.</summary>
    public int Attempts { get; init; }

    /// <summary>When the event happened, milliseconds since the Unix epoch.</summary>
    public long CreatedTimestamp { get; init; }

    /// <summary>When it was delivered; null until then.</summary>
    public long? DeliveredTimestamp { get; init; }

    /// <summary>The HTTP status of the last attempt, if it got one.</summary>
    public int? LastStatusCode { get; init; }

    /// <summary>Why the last attempt failed.</summary>
    public string? LastError { get; init; }
}
