using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Monitoring.Alerts;
using Slipway.Storage.Rows;

namespace Slipway.Storage.Monitoring;

/// <summary>
/// <see cref="IAlertStateStore"/> on EF Core: one row per alert episode, labels and annotations as JSON objects,
/// times in unix milliseconds. "Active" means firing, or resolved within the last
/// <see cref="ResolvedActiveWindow"/> (resolved alerts are re-sent for a while so Alertmanager sees the resolution).
/// </summary>
internal sealed class EfAlertStateStore(StoreExecutor executor, TimeProvider time) : IAlertStateStore
{
    public static readonly TimeSpan ResolvedActiveWindow = TimeSpan.FromMinutes(15);

    public Task<IReadOnlyList<AlertState>> ListAsync(string? monitor, bool activeOnly, CancellationToken ct) =>
        executor.ReadAsync<IReadOnlyList<AlertState>>(async db =>
        {
            var query = db.MonitorAlerts.AsQueryable();
            if (monitor is not null)
                query = query.Where(a => a.Monitor == monitor);
            if (activeOnly)
            {
                var since = time.GetUtcNow().Add(-ResolvedActiveWindow).ToUnixTimeMilliseconds();
                var firing = nameof(AlertStatus.Firing).ToLowerInvariant();
                query = query.Where(a => a.Status == firing || a.EndsAt >= since);
            }
            var rows = await query.OrderByDescending(a => a.UpdatedAt).ThenBy(a => a.Id).Take(10_000).ToListAsync(ct);
            return rows.ConvertAll(ToState);
        }, ct);

    public Task UpsertAsync(AlertState state, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            var row = await db.MonitorAlerts.AsTracking().FirstOrDefaultAsync(a => a.Id == state.Id, ct);
            if (row is null)
            {
                row = new MonitorAlertRow { Id = state.Id };
                db.MonitorAlerts.Add(row);
            }
            row.Monitor = state.Monitor;
            row.Rule = state.Rule;
            row.Fingerprint = state.Fingerprint;
            row.Labels = JsonSerializer.Serialize(state.Labels);
            row.Annotations = JsonSerializer.Serialize(state.Annotations);
            row.Status = state.Status.ToString().ToLowerInvariant();
            row.StartsAt = state.StartsAt.ToUnixTimeMilliseconds();
            row.EndsAt = state.EndsAt?.ToUnixTimeMilliseconds();
            row.LastSentAt = state.LastSentAt?.ToUnixTimeMilliseconds();
            row.UpdatedAt = state.UpdatedAt.ToUnixTimeMilliseconds();
        }, ct);

    public Task<bool> TryClaimResendAsync(AlertState seen, DateTimeOffset sentAt, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            var id = seen.Id;
            var updatedAt = seen.UpdatedAt.ToUnixTimeMilliseconds();
            var lastSentAt = seen.LastSentAt?.ToUnixTimeMilliseconds();
            var sent = sentAt.ToUnixTimeMilliseconds();
            // A conditional update: of replicas racing for the same re-send, PostgreSQL lets the first one's change
            // through and re-checks the others' conditions against it, so they match nothing.
            return await db.MonitorAlerts
                .Where(a => a.Id == id && a.UpdatedAt == updatedAt && a.LastSentAt == lastSentAt)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastSentAt, sent), ct) == 1;
        }, ct);

    private static AlertState ToState(MonitorAlertRow row) => new(
        row.Id,
        row.Monitor,
        row.Rule,
        row.Fingerprint,
        JsonSerializer.Deserialize<Dictionary<string, string>>(row.Labels) ?? [],
        JsonSerializer.Deserialize<Dictionary<string, string>>(row.Annotations) ?? [],
        Enum.Parse<AlertStatus>(row.Status, ignoreCase: true),
        DateTimeOffset.FromUnixTimeMilliseconds(row.StartsAt),
        row.EndsAt is { } ends ? DateTimeOffset.FromUnixTimeMilliseconds(ends) : null,
        row.LastSentAt is { } sent ? DateTimeOffset.FromUnixTimeMilliseconds(sent) : null,
        DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt));
}
