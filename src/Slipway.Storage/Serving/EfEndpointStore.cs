using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Serving.Endpoints;
using Slipway.Storage.Audit;
using Slipway.Storage.ChangeFeed;
using Slipway.Storage.Rows;

namespace Slipway.Storage.Serving;

/// <summary>
/// <see cref="IEndpointStore"/> on EF Core. The spec is stored as the JSON of <see cref="EndpointSpecJson"/>, which is
/// also what the audit event records before and after. Writers to one endpoint are serialized (SQLite: the
/// <see cref="WriteGate"/>; PostgreSQL: a row lock), so revisions increase by exactly one per change.
/// </summary>
internal sealed class EfEndpointStore(StoreExecutor executor, BackendStore backend) : IEndpointStore
{
    public Task<EndpointRecord> CreateAsync(EndpointSpec spec, long now, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            // Checked inside the transaction; a concurrent creator that wins the primary key makes the retry land here.
            if (await db.Endpoints.AnyAsync(e => e.Name == spec.Name, ct))
                throw EndpointErrors.AlreadyExists(spec.Name);
            var row = new EndpointRow { Name = spec.Name, Spec = EndpointSpecJson.Serialize(spec), Revision = 1, CreationTime = now, LastUpdatedTime = now };
            db.Endpoints.Add(row);
            db.AnnounceChange(ChangeNotice.Endpoint(spec.Name));
            AuditLog.AppendJson(db, audit, EndpointActions.Created, EndpointActions.Resource(spec.Name), null, row.Spec, now);
            return ToRecord(row);
        }, ct);

    public Task<EndpointRecord> UpdateAsync(EndpointSpec spec, long now, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            var row = await FindForUpdateAsync(db, spec.Name, ct) ?? throw EndpointErrors.NotFound(spec.Name);
            var before = row.Spec;
            row.Spec = EndpointSpecJson.Serialize(spec);
            row.Revision++;
            db.AnnounceChange(ChangeNotice.Endpoint(spec.Name));
            row.LastUpdatedTime = now;
            AuditLog.AppendJson(db, audit, EndpointActions.Updated, EndpointActions.Resource(spec.Name), before, row.Spec, now);
            return ToRecord(row);
        }, ct);

    public Task<EndpointRecord?> GetAsync(string name, CancellationToken ct) =>
        executor.ReadAsync(async db =>
        {
            var row = await db.Endpoints.FirstOrDefaultAsync(e => e.Name == name, ct);
            return row is null ? null : ToRecord(row);
        }, ct);

    public Task<IReadOnlyList<EndpointRecord>> ListAsync(CancellationToken ct) =>
        executor.ReadAsync<IReadOnlyList<EndpointRecord>>(async db =>
            (await db.Endpoints.OrderBy(e => e.Name).ToListAsync(ct)).ConvertAll(ToRecord), ct);

    public Task DeleteAsync(string name, long now, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            var row = await FindForUpdateAsync(db, name, ct) ?? throw EndpointErrors.NotFound(name);
            db.Endpoints.Remove(row);
            db.AnnounceChange(ChangeNotice.Endpoint(name));
            AuditLog.AppendJson(db, audit, EndpointActions.Deleted, EndpointActions.Resource(name), row.Spec, null, now);
        }, ct);

    private async Task<EndpointRow?> FindForUpdateAsync(SlipwayDbContext db, string name, CancellationToken ct) =>
        backend.Provider == StorageProvider.Sqlite
            ? await db.Endpoints.AsTracking().FirstOrDefaultAsync(e => e.Name == name, ct)
            : (await db.Endpoints.FromSql($"SELECT * FROM endpoints WHERE name = {name} FOR UPDATE").AsTracking().ToListAsync(ct)).FirstOrDefault();

    private static EndpointRecord ToRecord(EndpointRow row) =>
        new(EndpointSpecJson.Deserialize(row.Spec), row.Revision, row.CreationTime, row.LastUpdatedTime);
}
