using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Core.Audit;
using Slipway.Core.Pipelines;
using Slipway.Core.Threading;
using Slipway.Pipelines.Definition;

namespace Slipway.Pipelines.Server;

/// <summary>
/// Fires <c>on: schedule</c> cron slots (UTC). Each tick it looks for enabled pipelines whose next slot has passed,
/// claims the slot with a conditional update that moves it to the first slot after now (one replica wins it), and
/// queues one run. Slots missed while the server was down therefore run once on start, not once per missed slot.
/// </summary>
public sealed partial class PipelineScheduler(
    IPipelineStore store,
    PipelineService service,
    PipelineServerOptions options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<PipelineScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.SchedulerEnabled)
            return;
        try
        {
            await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStarted.IsCancellationRequested)
        {
        }
        await PeriodicWork.RunAsync(options.PollInterval, time, runFirst: true, RunDueAsync,
            exception => LogSchedulerFailed(logger, exception), stoppingToken);
    }

    /// <summary>
    /// Queues a run of every pipeline whose slot is due; returns how many this process queued. A pipeline that fails
    /// (its stored YAML no longer validates, the store or tracking errs) is logged and skipped, never the others.
    /// </summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var queued = 0;
        foreach (var pipeline in await store.ListAsync(ct))
        {
            if (!pipeline.Enabled || pipeline.NextScheduleTime is not { } due || due > now.ToUnixTimeMilliseconds())
                continue;
            try
            {
                if (await RunSlotAsync(pipeline, due, now, ct))
                    queued++;
            }
            catch (Exception exception) when (!ct.IsCancellationRequested)
            {
                LogPipelineFailed(logger, pipeline.Name, exception);
            }
        }
        return queued;
    }

    /// <summary>Claims a pipeline's due slot and queues its run; false when another replica claimed it first.</summary>
    private async Task<bool> RunSlotAsync(PipelineRecord pipeline, long due, DateTimeOffset now, CancellationToken ct)
    {
        var definition = PipelineService.Definition(pipeline);
        var next = PipelineService.NextSlot(definition.Triggers, now);
        if (!await store.TryClaimScheduleAsync(pipeline.Name, due, next, ct))
            return false;
        var slot = DateTimeOffset.FromUnixTimeMilliseconds(due);
        LogScheduledRun(logger, pipeline.Name, slot);
        var trigger = new PipelineTrigger
        {
            Kind = PipelineTrigger.Schedule,
            ScheduledAt = slot.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        await service.StartRunAsync(pipeline.Name, new Dictionary<string, string>(), trigger, null, AuditContext.System, ct);
        return true;
    }

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "Queuing pipeline {Pipeline} for its slot at {Slot:O}")]
    private static partial void LogScheduledRun(ILogger logger, string pipeline, DateTimeOffset slot);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Error, Message = "The pipeline scheduler failed; it retries at the next tick")]
    private static partial void LogSchedulerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Error, Message = "Could not queue the scheduled run of pipeline {Pipeline}; the other pipelines are unaffected")]
    private static partial void LogPipelineFailed(ILogger logger, string pipeline, Exception exception);
}
