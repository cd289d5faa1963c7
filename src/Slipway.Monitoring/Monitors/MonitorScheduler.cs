using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Core.Threading;

namespace Slipway.Monitoring.Monitors;

/// <summary>
/// Runs scheduled monitors. Every <see cref="MonitoringOptions.SchedulerInterval"/> it looks for monitors whose next
/// slot has passed, claims the slot in the store (a conditional update, so one replica wins it) while moving it to the
/// first slot after now, and runs the monitor once. Slots missed while the server was down therefore run once on
/// start, not once per missed slot.
/// </summary>
public sealed partial class MonitorScheduler(
    IMonitorStore store,
    MonitorRunner runner,
    MonitoringOptions options,
    TimeProvider time,
    ILogger<MonitorScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.SchedulerEnabled)
            return;
        await PeriodicWork.RunAsync(options.SchedulerInterval, time, runFirst: true, RunDueAsync,
            exception => LogSchedulerFailed(logger, exception), stoppingToken);
    }

    /// <summary>Runs every monitor whose slot is due; returns how many this process ran.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ran = 0;
        foreach (var monitor in await store.ListAsync(null, ct))
        {
            if (monitor.NextRunTime is not { } due || due > now.ToUnixTimeMilliseconds())
                continue;
            var next = MonitorService.NextRun(monitor.Spec, now);
            if (!await store.TryClaimScheduledRunAsync(monitor.Spec.Name, due, next, ct))
                continue;
            var slot = DateTimeOffset.FromUnixTimeMilliseconds(due);
            LogScheduledRun(logger, monitor.Spec.Name, slot);
            // The window ends at the run time, so a late catch-up run still covers the most recent traffic.
            await runner.RunAsync(monitor.Spec, "schedule", now, ct);
            ran++;
        }
        return ran;
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Running monitor {Monitor} for its slot at {Slot:O}")]
    private static partial void LogScheduledRun(ILogger logger, string monitor, DateTimeOffset slot);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Error, Message = "The monitor scheduler failed; it retries at the next tick")]
    private static partial void LogSchedulerFailed(ILogger logger, Exception exception);
}
