using Slipway.Artifacts;
using Slipway.Core.Audit;
using Slipway.Monitoring.Alerts;
using Slipway.Serving.Endpoints;

namespace Slipway.Monitoring.Monitors;

/// <summary>
/// The monitor control plane: create, update, list and delete monitors (audited), run one now, and read its history,
/// reports and alerts. The REST adapter and the scheduler call it.
/// </summary>
public sealed class MonitorService(
    IMonitorStore store,
    IEndpointStore endpoints,
    MonitorRunner runner,
    IAlertStateStore alerts,
    IArtifactStore artifacts,
    MonitoringMetrics metrics,
    TimeProvider time)
{
    public const int DefaultRunsPage = 50;
    public const int MaxRunsPage = 1000;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<MonitorRecord> CreateAsync(MonitorSpec spec, AuditContext audit, CancellationToken ct)
    {
        MonitorValidator.ThrowIfInvalid(spec);
        await RequireEndpointAsync(spec, ct);
        return await store.CreateAsync(spec, NextRun(spec, time.GetUtcNow()), Now, audit, ct);
    }

    public async Task<MonitorRecord> UpdateAsync(MonitorSpec spec, AuditContext audit, CancellationToken ct)
    {
        MonitorValidator.ThrowIfInvalid(spec);
        var existing = await GetAsync(spec.Name, ct);
        await RequireEndpointAsync(spec, ct);
        // An unchanged schedule keeps its pending slot; a new one starts from now.
        var next = existing.Spec.Schedule == spec.Schedule ? existing.NextRunTime : NextRun(spec, time.GetUtcNow());
        return await store.UpdateAsync(spec, next, Now, audit, ct);
    }

    public async Task<MonitorRecord> GetAsync(string name, CancellationToken ct) =>
        await store.GetAsync(name, ct) ?? throw MonitorErrors.NotFound(name);

    public Task<IReadOnlyList<MonitorRecord>> ListAsync(string? endpoint, CancellationToken ct) => store.ListAsync(endpoint, ct);

    public async Task DeleteAsync(string name, AuditContext audit, CancellationToken ct)
    {
        await store.DeleteAsync(name, Now, audit, ct);
        metrics.Remove(name);
        await artifacts.DeleteAsync($"{MonitorRunner.ArtifactRoot}/{name}", CancellationToken.None);
    }

    /// <summary>Runs the monitor now over the window ending at <paramref name="windowEnd"/> (default: now) and returns the finished run.</summary>
    public async Task<MonitorRunRecord> RunAsync(string name, DateTimeOffset? windowEnd, string trigger, CancellationToken ct)
    {
        var monitor = await GetAsync(name, ct);
        return await runner.RunAsync(monitor.Spec, trigger, windowEnd, ct);
    }

    public async Task<(IReadOnlyList<MonitorRunRecord> Items, bool HasMore)> ListRunsAsync(string name, int? maxResults, int offset, CancellationToken ct)
    {
        await GetAsync(name, ct);
        var size = maxResults ?? DefaultRunsPage;
        if (size < 1 || size > MaxRunsPage)
            throw Core.Errors.SlipwayException.InvalidParameter($"max_results must be between 1 and {MaxRunsPage}.");
        return await store.ListRunsAsync(name, size, offset, ct);
    }

    public async Task<MonitorRunRecord> GetRunAsync(string name, string id, CancellationToken ct)
    {
        await GetAsync(name, ct);
        return await store.GetRunAsync(name, id, ct) ?? throw MonitorErrors.RunNotFound(name, id);
    }

    /// <summary>Opens a stored report of a run (<c>html</c> or <c>json</c>).</summary>
    public async Task<Stream> OpenReportAsync(string name, string id, string format, CancellationToken ct)
    {
        var run = await GetRunAsync(name, id, ct);
        var path = (format == "html" ? run.ReportHtml : run.ReportJson)
            ?? throw Core.Errors.SlipwayException.NotFound($"Run '{id}' of monitor '{name}' has no {format} report ({run.Status.ToString().ToLowerInvariant()}{(run.Error is null ? "" : ": " + run.Error)}).");
        return await artifacts.OpenReadAsync(path, ct) ?? throw Core.Errors.SlipwayException.NotFound($"The {format} report of run '{id}' is missing from the artifact store.");
    }

    public async Task<IReadOnlyList<AlertState>> ListAlertsAsync(string? name, bool activeOnly, CancellationToken ct)
    {
        if (name is not null)
            await GetAsync(name, ct);
        return await alerts.ListAsync(name, activeOnly, ct);
    }

    // A monitor outlives neither a typo nor its endpoint's creation order: the endpoint must exist when it is set up.
    private async Task RequireEndpointAsync(MonitorSpec spec, CancellationToken ct)
    {
        if (await endpoints.GetAsync(spec.Endpoint, ct) is null)
            throw Core.Errors.SlipwayException.InvalidParameter($"Monitor '{spec.Name}' watches endpoint '{spec.Endpoint}', which does not exist.");
    }

    /// <summary>The first slot of the schedule strictly after <paramref name="after"/>, in unix milliseconds; null without a schedule.</summary>
    public static long? NextRun(MonitorSpec spec, DateTimeOffset after)
    {
        if (spec.Schedule is null || !MonitorValidator.TryParseSchedule(spec.Schedule, out var cron))
            return null;
        var next = cron!.GetNextOccurrence(after.UtcDateTime, TimeZoneInfo.Utc, inclusive: false);
        return next is { } slot ? new DateTimeOffset(slot, TimeSpan.Zero).ToUnixTimeMilliseconds() : null;
    }
}
