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

    /// <summary>
    /// How long a delivery handed to a dispatcher stays out of other replicas' reach: longer than any send plus its
    /// recording takes (a dispatcher claims only as many as it sends at once, each send bounded by
    /// <c>RequestTimeout</c>, at most half this), short enough that a replica dying mid-send delays the re-send only
    /// briefly. Lease times come from the claiming replica's clock: replicas' clocks are assumed to agree to well
    /// within a minute (NTP); a replica whose clock runs ahead could take over a delivery still being sent, which the
    /// fencing in <see cref="RecordDeliveryAttemptAsync"/> turns into one extra send, never a second recorded attempt.
    /// </summary>
    internal static readonly TimeSpan DeliveryLease = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Deliveries of deactivated webhooks stay pending, neither sent nor due, until the webhook is reactivated. The
    /// returned deliveries are claimed for the caller: each one's next attempt moves to <c>now</c> +
    /// <see cref="DeliveryLease"/> only if nobody moved it since it was read (a conditional update, which PostgreSQL
    /// re-checks after waiting for a concurrent claimer), so two replicas never send the same attempt. Recording the
    /// attempt sets the real next attempt; a claimer that dies leaves the delivery due again when the lease ends.
    /// </summary>
    public async Task<IReadOnlyList<DueDelivery>> GetDueDeliveriesAsync(long now, int max, CancellationToken ct)
    {
        // Read first, outside any write: an idle outbox (the usual case at every poll) costs no write transaction.
        var due = await ReadAsync(async db => (await db.WebhookDeliveries
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptTime <= now)
            .Join(db.Webhooks.Where(w => w.Active), d => d.WebhookId, w => w.Id, (d, w) => new { Delivery = d, w.Url, w.Secret })
            .OrderBy(x => x.Delivery.NextAttemptTime).ThenBy(x => x.Delivery.Id)
            .Take(max)
            .ToListAsync(ct)).ConvertAll(x => new DueCandidate(x.Delivery, x.Url, x.Secret)), ct);
        if (due.Count == 0)
            return [];
        var leaseEnd = now + (long)DeliveryLease.TotalMilliseconds;
        return await WriteAsync<IReadOnlyList<DueDelivery>>(async db =>
        {
            var claimed = new List<DueDelivery>(due.Count);
            foreach (var candidate in due)
            {
                var id = candidate.Delivery.Id;
                var seen = candidate.Delivery.NextAttemptTime;
                var won = await db.WebhookDeliveries
                    .Where(d => d.Id == id && d.Status == DeliveryStatus.Pending && d.NextAttemptTime == seen)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptTime, leaseEnd), ct);
                // The delivery as it was due: its scheduled time, not the lease, is what the dispatcher reports.
                if (won == 1)
                    claimed.Add(new DueDelivery(RegistryRowMapping.ToDelivery(candidate.Delivery), candidate.Url, candidate.Secret, leaseEnd));
            }
            return claimed;
        }, ct);
    }

    private sealed record DueCandidate(WebhookDeliveryRow Delivery, string Url, string Secret);

    public Task<bool> RecordDeliveryAttemptAsync(long deliveryId, long claimedUntil, bool delivered, int? statusCode, string? error, long now, long? nextAttempt, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            // The claim's lease end is its fencing token: if the lease passed and another replica claimed the delivery
            // (moving its next attempt to a later lease end) or recorded an attempt, this claimer records nothing.
            // No row: the webhook (and its log) was deleted while the attempt was in flight.
            var row = await db.WebhookDeliveries.AsTracking()
                .FirstOrDefaultAsync(d => d.Id == deliveryId && d.Status == DeliveryStatus.Pending && d.NextAttemptTime == claimedUntil, ct);
            if (row is null)
                return false;
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
            return true;
        }, ct);

    public Task<long?> GetNextDeliveryTimeAsync(CancellationToken ct) =>
        ReadAsync(db => db.WebhookDeliveries
            .Where(d => d.Status == DeliveryStatus.Pending && db.Webhooks.Any(w => w.Id == d.WebhookId && w.Active))
            .MinAsync(d => (long?)d.NextAttemptTime, ct), ct);

    private static SlipwayException WebhookNotFound(long id) => SlipwayException.NotFound($"Webhook with id={id} not found");
}
