using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Monitoring.Monitors;
using Slipway.Storage.Audit;
using Slipway.Storage.Rows;

namespace Slipway.Storage.Monitoring;

/// <summary>
/// <see cref="IMonitorStore"/> on EF Core. The spec is stored as the JSON of <see cref="MonitorSpecJson"/>, which the
/// audit event records before and after. Claiming a scheduled run is a conditional UPDATE, so exactly one replica
/// wins a slot on either provider.
/// </summary>
internal sealed class EfMonitorStore(StoreExecutor executor) : IMonitorStore
{
    public Task<MonitorRecord> CreateAsync(MonitorSpec spec, long? nextRunTime, long now, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            if (await db.Monitors.AnyAsync(m => m.Name == spec.Name, ct))
                throw MonitorErrors.AlreadyExists(spec.Name);
            var row = new MonitorRow
            {
                Name = spec.Name,
                Endpoint = spec.Endpoint,
                Spec = MonitorSpecJson.Serialize(spec),
                NextRunTime = nextRunTime,
                CreationTime = now,
                LastUpdatedTime = now,
            };
            db.Monitors.Add(row);
            AuditLog.AppendJson(db, audit, MonitorActions.Created, MonitorActions.Resource(spec.Name), null, row.Spec, now);
            return ToRecord(row);
        }, ct);

    public Task<MonitorRecord> UpdateAsync(MonitorSpec spec, long? nextRunTime, long now, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            var row = await db.Monitors.AsTracking().FirstOrDefaultAsync(m => m.Name == spec.Name, ct) ?? throw MonitorErrors.NotFound(spec.Name);
            var before = row.Spec;
            row.Endpoint = spec.Endpoint;
            row.Spec = MonitorSpecJson.Serialize(spec);
            row.NextRunTime = nextRunTime;
            row.LastUpdatedTime = now;
            AuditLog.AppendJson(db, audit, MonitorActions.Updated, MonitorActions.Resource(spec.Name), before, row.Spec, now);
            return ToRecord(row);
        }, ct);

    public Task<MonitorRecord?> GetAsync(string name, CancellationToken ct) =>
        executor.ReadAsync(async db =>
        {
            var row = await db.Monitors.FirstOrDefaultAsync(m => m.Name == name, ct);
            return row is null ? null : ToRecord(row);
        }, ct);

    public Task<IReadOnlyList<MonitorRecord>> ListAsync(string? endpoint, CancellationToken ct) =>
        executor.ReadAsync<IReadOnlyList<MonitorRecord>>(async db =>
        {
            var query = db.Monitors.AsQueryable();
            if (endpoint is not null)
                query = query.Where(m => m.Endpoint == endpoint);
            return (await query.OrderBy(m => m.Name).ToListAsync(ct)).ConvertAll(ToRecord);
        }, ct);

    public Task DeleteAsync(string name, long now, AuditContext audit, CancellationToken ct) =>
        executor.WriteAsync(async db =>
        {
            var row = await db.Monitors.AsTracking().FirstOrDefaultAsync(m => m.Name == name, ct) ?? throw MonitorErrors.NotFound(name);
            db.Monitors.Remove(row);
            await db.MonitorRuns.Where(r => r.Monitor == name).ExecuteDeleteAsync(ct);
            await db.MonitorAlerts.Where(a => a.Monitor == name).ExecuteDeleteAsync(ct);
            AuditLog.AppendJson(db, audit, MonitorActions.Deleted, MonitorActions.Resource(name), row.Spec, null, now);
        }, ct);

    public Task<bool> TryClaimScheduledRunAsync(string name, long expected, long? next, CancellationToken ct) =>
        executor.WriteAsync(async db =>
            await db.Monitors.Where(m => m.Name == name && m.NextRunTime == expected)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextRunTime, next), ct) == 1, ct);

    public Task AddRunAsync(MonitorRunRecord run, CancellationToken ct) =>
        executor.WriteAsync(db =>
        {
            db.MonitorRuns.Add(ToRow(run));
            return Task.CompletedTask;
        }, ct);

    public Task UpdateRunAsync(MonitorRunRecord run, CancellationToken ct) =>
        executor.WriteAsync(db =>
        {
            db.MonitorRuns.Update(ToRow(run));
            return Task.CompletedTask;
        }, ct);

    public Task<MonitorRunRecord?> GetRunAsync(string monitor, string id, CancellationToken ct) =>
        executor.ReadAsync(async db =>
        {
            var row = await db.MonitorRuns.FirstOrDefaultAsync(r => r.Id == id && r.Monitor == monitor, ct);
            return row is null ? null : ToRecord(row, withResult: true);
        }, ct);

    public Task<(IReadOnlyList<MonitorRunRecord> Items, bool HasMore)> ListRunsAsync(string monitor, int maxResults, int offset, CancellationToken ct) =>
        executor.ReadAsync<(IReadOnlyList<MonitorRunRecord>, bool)>(async db =>
        {
            var rows = await db.MonitorRuns.Where(r => r.Monitor == monitor)
                .OrderByDescending(r => r.StartTime).ThenByDescending(r => r.Id)
                .Skip(offset).Take(maxResults + 1)
                .Select(r => new MonitorRunRow
                {
                    Id = r.Id, Monitor = r.Monitor, Trigger = r.Trigger, Status = r.Status, StartTime = r.StartTime, EndTime = r.EndTime,
                    WindowStart = r.WindowStart, WindowEnd = r.WindowEnd, RowsSeen = r.RowsSeen, ModelVersion = r.ModelVersion,
                    DriftShare = r.DriftShare, DatasetDrift = r.DatasetDrift, DriftedColumns = r.DriftedColumns, CheckedColumns = r.CheckedColumns,
                    QualityFailures = r.QualityFailures, Error = r.Error, ReportHtml = r.ReportHtml, ReportJson = r.ReportJson,
                })
                .ToListAsync(ct);
            var hasMore = rows.Count > maxResults;
            if (hasMore)
                rows.RemoveAt(rows.Count - 1);
            return (rows.ConvertAll(r => ToRecord(r, withResult: false)), hasMore);
        }, ct);

    private static MonitorRecord ToRecord(MonitorRow row) =>
        new(MonitorSpecJson.Deserialize(row.Spec), row.CreationTime, row.LastUpdatedTime, row.NextRunTime);

    private static MonitorRunRecord ToRecord(MonitorRunRow row, bool withResult) =>
        new(row.Id, row.Monitor, row.Trigger, Enum.Parse<MonitorRunStatus>(row.Status, ignoreCase: true), row.StartTime, row.EndTime,
            row.WindowStart, row.WindowEnd, row.RowsSeen, row.ModelVersion, row.DriftShare, row.DatasetDrift, row.DriftedColumns,
            row.CheckedColumns, row.QualityFailures, row.Error, row.ReportHtml, row.ReportJson, withResult ? row.Result : null);

    private static MonitorRunRow ToRow(MonitorRunRecord run) => new()
    {
        Id = run.Id,
        Monitor = run.Monitor,
        Trigger = run.Trigger,
        Status = run.Status.ToString().ToLowerInvariant(),
        StartTime = run.StartTime,
        EndTime = run.EndTime,
        WindowStart = run.WindowStart,
        WindowEnd = run.WindowEnd,
        RowsSeen = run.RowsSeen,
        ModelVersion = run.ModelVersion,
        DriftShare = run.DriftShare,
        DatasetDrift = run.DatasetDrift,
        DriftedColumns = run.DriftedColumns,
        CheckedColumns = run.CheckedColumns,
        QualityFailures = run.QualityFailures,
        Error = run.Error,
        ReportHtml = run.ReportHtml,
        ReportJson = run.ReportJson,
        Result = run.Result,
    };
}
