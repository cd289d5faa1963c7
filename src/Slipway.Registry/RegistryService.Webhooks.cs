using System.Security.Cryptography;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Paging;
using Slipway.Registry.Domain;
using Slipway.Tracking.Domain;
using Slipway.Tracking.Validation;

namespace Slipway.Registry;

public sealed partial class RegistryService
{
    private const int MinSecretLength = 16;

    /// <summary>Creates a subscription; the returned secret (generated when none is given) is shown only here.</summary>
    public async Task<(Webhook Webhook, string Secret)> CreateWebhookAsync(string? name, string? url, IReadOnlyList<string> events, string? modelName, string? secret, AuditContext audit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw SlipwayException.MissingParameter("name");
        Validator.MaxLength("Webhook name", name, 256);
        if (string.IsNullOrEmpty(url))
            throw SlipwayException.MissingParameter("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(parsed.UserInfo))
            throw SlipwayException.InvalidParameter($"Invalid webhook url '{url}': it must be an absolute http or https URL without credentials.");
        if (events.Count == 0)
            throw SlipwayException.InvalidParameter($"A webhook needs at least one event: '*' or any of {string.Join(", ", RegistryActions.WebhookEvents)}.");
        foreach (var e in events)
        {
            if (e != "*" && !RegistryActions.WebhookEvents.Contains(e))
                throw SlipwayException.InvalidParameter($"Unknown webhook event '{e}'. Valid events are '*', {string.Join(", ", RegistryActions.WebhookEvents)}.");
        }
        if (!string.IsNullOrEmpty(modelName))
            await GetRegisteredModelAsync(modelName, ct);
        if (secret is not null && secret.Length < MinSecretLength)
            throw SlipwayException.InvalidParameter($"A webhook secret must be at least {MinSecretLength} characters long.");
        secret ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var webhook = await store.CreateWebhookAsync(
            new NewWebhook(name, url, events.Distinct().ToList(), string.IsNullOrEmpty(modelName) ? null : modelName, secret), Now, audit, ct);
        return (webhook, secret);
    }

    public Task<IReadOnlyList<Webhook>> ListWebhooksAsync(CancellationToken ct) => store.ListWebhooksAsync(ct);

    public async Task<Webhook> GetWebhookAsync(long id, CancellationToken ct) =>
        await store.GetWebhookAsync(id, ct) ?? throw SlipwayException.NotFound($"Webhook {id} not found");

    public async Task<Webhook> SetWebhookActiveAsync(long id, bool active, AuditContext audit, CancellationToken ct)
    {
        await GetWebhookAsync(id, ct);
        var webhook = await store.SetWebhookActiveAsync(id, active, audit, ct);
        // Deliveries held while the subscription was paused are due again.
        webhooks.Notify();
        return webhook;
    }

    public async Task DeleteWebhookAsync(long id, AuditContext audit, CancellationToken ct)
    {
        await GetWebhookAsync(id, ct);
        await store.DeleteWebhookAsync(id, audit, ct);
    }

    public async Task<Page<WebhookDelivery>> ListDeliveriesAsync(long id, int? maxResults, string? pageToken, CancellationToken ct)
    {
        await GetWebhookAsync(id, ct);
        var limit = maxResults ?? 100;
        Validator.MaxResults(limit, 1000);
        var offset = PageToken.Decode(pageToken);
        var (items, hasMore) = await store.ListDeliveriesAsync(id, limit, offset, ct);
        return new Page<WebhookDelivery>(items, hasMore ? PageToken.Encode(offset + items.Count) : null);
    }
}
