using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Registry.Domain;
using Slipway.Storage.Audit;
using Slipway.Storage.Rows;

namespace Slipway.Storage.Registry;

internal sealed partial class EfRegistryStore
{
    public Task<Webhook> CreateWebhookAsync(NewWebhook webhook, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = new WebhookRow
            {
                Name = webhook.Name,
                Url = webhook.Url,
                Events = RegistryRowMapping.Write(webhook.Events),
                ModelName = webhook.ModelName,
                Secret = webhook.Secret,
                Active = true,
                CreatedTime = now,
            };
            db.Webhooks.Add(row);
            await db.SaveChangesAsync(ct);
            AuditLog.Append(db, audit, RegistryActions.WebhookCreated, AuditResources.Webhook(row.Id), null, RegistryRowMapping.WebhookSnapshot(row), now);
            return RegistryRowMapping.ToWebhook(row);
        }, ct);

    public Task<IReadOnlyList<Webhook>> ListWebhooksAsync(CancellationToken ct) =>
        ReadAsync<IReadOnlyList<Webhook>>(async db =>
            (await db.Webhooks.OrderBy(w => w.Id).ToListAsync(ct)).ConvertAll(RegistryRowMapping.ToWebhook), ct);

    public Task<Webhook?> GetWebhookAsync(long id, CancellationToken ct) =>
        ReadAsync(async db =>
        {
            var row = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id, ct);
            return row is null ? null : RegistryRowMapping.ToWebhook(row);
        }, ct);

    public Task<Webhook> SetWebhookActiveAsync(long id, bool active, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await db.Webhooks.AsTracking().FirstOrDefaultAsync(w => w.Id == id, ct) ?? throw WebhookNotFound(id);
            var before = RegistryRowMapping.WebhookSnapshot(row);
            row.Active = active;
            AuditLog.Append(db, audit, RegistryActions.WebhookUpdated, AuditResources.Webhook(id), before, RegistryRowMapping.WebhookSnapshot(row), Now);
            return RegistryRowMapping.ToWebhook(row);
        }, ct);

    public Task DeleteWebhookAsync(long id, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await db.Webhooks.AsTracking().FirstOrDefaultAsync(w => w.Id == id, ct) ?? throw WebhookNotFound(id);
            await db.WebhookDeliveries.Where(d => d.WebhookId == id).ExecuteDeleteAsync(ct);
            db.Webhooks.Remove(row);
            AuditLog.Append(db, audit, RegistryActions.WebhookDeleted, AuditResources.Webhook(id), RegistryRowMapping.WebhookSnapshot(row), null, Now);
        }, ct);

    public Task<(IReadOnlyList<WebhookDelivery> Items, bool HasMore)> ListDeliveriesAsync(long webhookId, int maxResults, int offset, CancellationToken ct) =>
        ReadAsync<(IReadOnlyList<WebhookDelivery>, bool)>(async db =>
        {
            var rows = await db.WebhookDeliveries.Where(d => d.WebhookId == webhookId)
                .OrderByDescending(d => d.Id).Skip(offset).Take(maxResults + 1).ToListAsync(ct);
            var hasMore = rows.Count > maxResults;
            if (hasMore)
                rows.RemoveAt(rows.Count - 1);
            return (rows.ConvertAll(RegistryRowMapping.ToDelivery), hasMore);
        }, ct);

    /// <summary>Deliveries of deactivated webhooks stay pending, neither sent nor due, until the webhook is reactivated.</summary>
    public Task<IReadOnlyList<DueDelivery>> GetDueDeliveriesAsync(long now, int max, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<DueDelivery>>(async db =>
        {
            var due = await db.WebhookDeliveries
                .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptTime <= now)
                .Join(db.Webhooks.Where(w => w.Active), d => d.WebhookId, w => w.Id, (d, w) => new { Delivery = d, w.Url, w.Secret })
                .OrderBy(x => x.Delivery.NextAttemptTime).ThenBy(x => x.Delivery.Id)
                .Take(max)
                .ToListAsync(ct);
            return due.ConvertAll(x => new DueDelivery(RegistryRowMapping.ToDelivery(x.Delivery), x.Url, x.Secret));
        }, ct);

    public Task RecordDeliveryAttemptAsync(long deliveryId, bool delivered, int? statusCode, string? error, long now, long? nextAttempt, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var row = await db.WebhookDeliveries.AsTracking().FirstOrDefaultAsync(d => d.Id == deliveryId, ct);
            // The webhook (and its log) may have been deleted while the attempt was in flight.
            if (row is null)
                return;
            row.Attempts++;
            row.LastStatusCode = statusCode;
            row.LastError = error;
            if (delivered)
            {
                row.Status = DeliveryStatus.Delivered;
                row.DeliveredTime = now;
            }
            else if (nextAttempt is { } next)
            {
                row.Status = DeliveryStatus.Pending;
                row.NextAttemptTime = next;
            }
            else
            {
                row.Status = DeliveryStatus.Failed;
            }
        }, ct);

    public Task<long?> GetNextDeliveryTimeAsync(CancellationToken ct) =>
        ReadAsync(db => db.WebhookDeliveries
            .Where(d => d.Status == DeliveryStatus.Pending && db.Webhooks.Any(w => w.Id == d.WebhookId && w.Active))
            .MinAsync(d => (long?)d.NextAttemptTime, ct), ct);

    private static SlipwayException WebhookNotFound(long id) => SlipwayException.NotFound($"Webhook with id={id} not found");
}
