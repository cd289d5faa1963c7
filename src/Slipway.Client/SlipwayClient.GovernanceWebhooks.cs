using System.Globalization;
using Slipway.Client.Protocol;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    private const string WebhooksPath = SlipwayPrefix + "webhooks";

    /// <summary>The event filter that subscribes a webhook to every event.</summary>
    public const string AllWebhookEvents = "*";

    /// <summary>Subscribes a URL to registry events (<c>POST /api/slipway/v1/webhooks</c>).</summary>
    /// <param name="name">A name for people.</param>
    /// <param name="url">Where to POST events (http or https).</param>
    /// <param name="events">Event types such as <c>model_version.created</c>, or <see cref="AllWebhookEvents"/>.</param>
    /// <param name="modelName">Only this model's events; null for every model.</param>
    /// <param name="secret">The signing secret; null lets the server generate one.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>The webhook and its secret, which the server does not show again.</returns>
    public async Task<CreatedWebhook> CreateWebhookAsync(
        string name, string url, IEnumerable<string> events, string? modelName = null, string? secret = null, CancellationToken ct = default)
    {
        var request = new CreateWebhookRequest(name, url, [.. events], NullIfEmpty(modelName), NullIfEmpty(secret));
        var response = await SendJsonAsync(HttpMethod.Post, WebhooksPath, request, SlipwayJsonContext.Default.CreateWebhookRequest, SlipwayJsonContext.Default.CreateWebhookResponse, ct).ConfigureAwait(false);
        return new CreatedWebhook(response.Webhook ?? throw MissingField("webhook"), response.Secret ?? throw MissingField("secret"));
    }

    /// <summary>Lists the webhooks (<c>GET /api/slipway/v1/webhooks</c>).</summary>
    public async Task<IReadOnlyList<Webhook>> ListWebhooksAsync(CancellationToken ct = default)
    {
        var response = await GetJsonAsync(WebhooksPath, [], SlipwayJsonContext.Default.WebhooksResponse, ct).ConfigureAwait(false);
        return response.Webhooks ?? [];
    }

    /// <summary>Reads a webhook (<c>GET /api/slipway/v1/webhooks/{id}</c>).</summary>
    public async Task<Webhook> GetWebhookAsync(long id, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(WebhookPath(id), [], SlipwayJsonContext.Default.WebhookResponse, ct).ConfigureAwait(false);
        return response.Webhook ?? throw MissingField("webhook");
    }

    /// <summary>Pauses or resumes a webhook's deliveries (<c>PATCH /api/slipway/v1/webhooks/{id}</c>).</summary>
    public async Task<Webhook> SetWebhookActiveAsync(long id, bool active, CancellationToken ct = default)
    {
        var response = await SendJsonAsync(HttpMethod.Patch, WebhookPath(id), new UpdateWebhookRequest(active), SlipwayJsonContext.Default.UpdateWebhookRequest, SlipwayJsonContext.Default.WebhookResponse, ct).ConfigureAwait(false);
        return response.Webhook ?? throw MissingField("webhook");
    }

    /// <summary>Deletes a webhook and its pending deliveries (<c>DELETE /api/slipway/v1/webhooks/{id}</c>).</summary>
    public Task DeleteWebhookAsync(long id, CancellationToken ct = default) =>
        DeleteAsync(WebhookPath(id), ct);

    /// <summary>Lists a webhook's deliveries (<c>GET /api/slipway/v1/webhooks/{id}/deliveries</c>).</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> ListWebhookDeliveriesAsync(long id, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(WebhookPath(id) + "/deliveries", [], SlipwayJsonContext.Default.WebhookDeliveriesResponse, ct).ConfigureAwait(false);
        return response.Deliveries ?? [];
    }

    private static string WebhookPath(long id) => WebhooksPath + "/" + id.ToString(CultureInfo.InvariantCulture);
}
