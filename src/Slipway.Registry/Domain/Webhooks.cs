namespace Slipway.Registry.Domain;

/// <summary>A subscription: registry events (optionally of one model) are POSTed to <see cref="Url"/>, signed with its secret.</summary>
public sealed record Webhook(
    long Id,
    string Name,
    string Url,
    IReadOnlyList<string> Events,
    string? ModelName,
    bool Active,
    long CreatedTimestamp);

public sealed record NewWebhook(string Name, string Url, IReadOnlyList<string> Events, string? ModelName, string Secret);

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

/// <summary>One event for one subscription: the delivery log entry and, while pending, the outbox row.</summary>
public sealed record WebhookDelivery(
    long Id,
    long WebhookId,
    string Event,
    string Payload,
    string Status,
    int Attempts,
    long CreatedTimestamp,
    long NextAttemptTimestamp,
    long? DeliveredTimestamp,
    int? LastStatusCode,
    string? LastError);

/// <summary>
/// A due delivery with what the dispatcher needs to send it. <paramref name="ClaimedUntil"/> is the end of the lease
/// the store claimed it with: passed back when recording the attempt, it fences off a claimer whose lease another
/// replica has since taken over.
/// </summary>
public sealed record DueDelivery(WebhookDelivery Delivery, string Url, string Secret, long ClaimedUntil = 0);
