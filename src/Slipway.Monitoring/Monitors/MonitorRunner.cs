using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Slipway.Artifacts;
using Slipway.Core.Errors;
using Slipway.Monitoring.Alerts;
using Slipway.Monitoring.Reports;

namespace Slipway.Monitoring.Monitors;

/// <summary>
/// Runs a monitor once: records a running entry in history, computes the result (<see cref="MonitorComputation"/>),
/// stores its HTML and JSON reports as artifacts under <c>monitors/&lt;name&gt;/runs/&lt;id&gt;/</c>, publishes the
/// gauges, hands the result to alerting, and completes the history entry. Runs of one monitor never overlap.
/// A run that fails is recorded as failed with its message; it does not throw for data problems.
/// </summary>
public sealed partial class MonitorRunner(
    MonitorComputation computation,
    IArtifactStore artifacts,
    IMonitorStore store,
    MonitoringMetrics metrics,
    AlertDispatcher alerts,
    TimeProvider time,
    ILogger<MonitorRunner> logger)
{
    public const string ArtifactRoot = "monitors";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _running = new(StringComparer.Ordinal);

    public static string ReportFolder(string monitor, string runId) => $"{ArtifactRoot}/{monitor}/runs/{runId}";

    /// <param name="trigger"><c>manual</c>, <c>schedule</c> or <c>api</c>: recorded in history.</param>
    /// <param name="windowEnd">The end of the current window; now when null.</param>
    public async Task<MonitorRunRecord> RunAsync(MonitorSpec spec, string trigger, DateTimeOffset? windowEnd, CancellationToken ct)
    {
        var gate = _running.GetOrAdd(spec.Name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            return await RunExclusiveAsync(spec, trigger, windowEnd ?? time.GetUtcNow(), ct);
        }
        finally
        {
            gate.Release();
            // A run allocates a few hundred MB of columns (a 1M-row sample and its sorted copies) once an hour or so;
            // without this the GC keeps that memory committed until serving pressure reclaims it.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    private async Task<MonitorRunRecord> RunExclusiveAsync(MonitorSpec spec, string trigger, DateTimeOffset end, CancellationToken ct)
    {
        using var span = Slipway.Core.Diagnostics.SlipwayActivity.StartMonitorRun(spec.Name, trigger);
        using var timer = MonitoringMetrics.TimeRun(spec.Name);
        var started = time.GetUtcNow();
        var start = end - spec.Window;
        // Time-ordered ids, so history sorts by id as it does by start time.
        var id = Guid.CreateVersion7(started).ToString("N");
        var run = new MonitorRunRecord(id, spec.Name, trigger, MonitorRunStatus.Running, started.ToUnixTimeMilliseconds(), null,
            start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds(), 0, null, null, null, null, null, null, null, null, null, null);
        await store.AddRunAsync(run, ct);
        try
        {
            // A run that has started finishes and is recorded even if the caller goes away.
            var (result, report) = await computation.ComputeAsync(spec, start, end, id, CancellationToken.None);
            var folder = ReportFolder(spec.Name, id);
            var json = ReportJsonText(report);
            await artifacts.WriteAsync(folder + "/report.json", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), CancellationToken.None);
            using (var html = new MemoryStream())
            {
                ReportHtml.Write(html, report);
                html.Position = 0;
                await artifacts.WriteAsync(folder + "/report.html", html, CancellationToken.None);
            }
            var drift = result.FeatureDrift?.Dataset;
            run = run with
            {
                Status = MonitorRunStatus.Succeeded,
                EndTime = time.GetUtcNow().ToUnixTimeMilliseconds(),
                RowsSeen = result.RowsSeen,
                ModelVersion = result.ModelVersion,
                DriftShare = drift?.ShareOfDriftedColumns,
                DatasetDrift = drift?.DatasetDrift,
                DriftedColumns = drift?.NumberOfDriftedColumns,
                CheckedColumns = drift?.NumberOfColumns,
                QualityFailures = result.Quality?.FailedChecks,
                Error = result.Warnings.Count > 0 ? string.Join(" ", result.Warnings) : null,
                ReportHtml = folder + "/report.html",
                ReportJson = folder + "/report.json",
                Result = json,
            };
            await store.UpdateRunAsync(run, CancellationToken.None);
            metrics.Record(spec, result);
            await alerts.ProcessRunAsync(spec, result, $"/api/slipway/v1/monitors/{spec.Name}/runs/{id}", CancellationToken.None);
            LogRunFinished(logger, spec.Name, id, result.RowsSeen, drift?.ShareOfDriftedColumns ?? double.NaN);
            return run;
        }
        catch (Exception exception) when (exception is SlipwayException or IOException or InvalidDataException)
        {
            run = run with { Status = MonitorRunStatus.Failed, EndTime = time.GetUtcNow().ToUnixTimeMilliseconds(), Error = exception.Message };
            await store.UpdateRunAsync(run, CancellationToken.None);
            metrics.RecordFailure(spec);
            LogRunFailed(logger, spec.Name, id, exception.Message);
            return run;
        }
        catch (Exception exception)
        {
            run = run with { Status = MonitorRunStatus.Failed, EndTime = time.GetUtcNow().ToUnixTimeMilliseconds(), Error = "Internal error: " + exception.GetType().Name };
            await store.UpdateRunAsync(run, CancellationToken.None);
            metrics.RecordFailure(spec);
            LogRunCrashed(logger, spec.Name, id, exception);
            return run;
        }
    }

    private static string ReportJsonText(ReportDocument report)
    {
        using var buffer = new MemoryStream();
        ReportJson.Write(buffer, report);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Monitor {Monitor} run {RunId}: {Rows} rows, drift share {Share}")]
    private static partial void LogRunFinished(ILogger logger, string monitor, string runId, long rows, double share);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Monitor {Monitor} run {RunId} failed: {Reason}")]
    private static partial void LogRunFailed(ILogger logger, string monitor, string runId, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Monitor {Monitor} run {RunId} crashed")]
    private static partial void LogRunCrashed(ILogger logger, string monitor, string runId, Exception exception);
}
