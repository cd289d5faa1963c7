using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Storage.Rows;

namespace Slipway.Storage.Audit;

/// <summary>Reads the audit trail that the stores append to inside their own transactions.</summary>
internal sealed class EfAuditStore(IDbContextFactory<SlipwayDbContext> factory) : IAuditStore
{
    public async Task<(IReadOnlyList<AuditEvent> Items, bool HasMore)> SearchAsync(AuditQuery query, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await using var db = await factory.CreateDbContextAsync(ct);
        IQueryable<AuditEventRow> events = db.AuditEvents;
        if (!string.IsNullOrEmpty(query.Resource))
        {
            // The resource itself or anything below it: "models/iris" finds "models/iris/versions/3" but not
            // "models/iris2". Below-it is the key range ["models/iris/", "models/iris0"), since '0' follows '/'
            // in byte order (BINARY on SQLite, collation "C" on PostgreSQL), so the (resource, id) index serves it.
            var resource = query.Resource;
            var from = resource + "/";
            var to = resource + "0";
            events = events.Where(e => e.Resource == resource
                || (string.Compare(e.Resource, from) >= 0 && string.Compare(e.Resource, to) < 0));
        }
        if (!string.IsNullOrEmpty(query.Action))
            events = events.Where(e => e.Action == query.Action);
        if (query.Since is { } since)
            events = events.Where(e => e.Timestamp >= since);
        var ordered = query.NewestFirst ? events.OrderByDescending(e => e.Id) : events.OrderBy(e => e.Id);
        var rows = await ordered.Skip(query.Offset).Take(query.MaxResults + 1).ToListAsync(ct);
        var hasMore = rows.Count > query.MaxResults;
        if (hasMore)
            rows.RemoveAt(rows.Count - 1);
        StorageMetrics.OperationDuration.Record(
            Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("operation", "SearchAuditEvents"),
            new KeyValuePair<string, object?>("kind", "read"));
        return (rows.ConvertAll(ToEvent), hasMore);
    }

    private static AuditEvent ToEvent(AuditEventRow row) =>
        new(row.Id, row.Timestamp, row.Actor, row.Action, row.Resource, row.Before, row.After, row.RequestId);
}
