using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Client;
using Slipway.Core.Pipelines;
using Slipway.Core.Threading;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Server;

/// <summary>
/// Starts and executes queued runs in this process. Each pass claims queued runs oldest first with
/// <see cref="IPipelineStore.TryStartRunAsync"/>, which succeeds only while the pipeline has fewer running runs than its
/// <c>concurrency</c>, so no two replicas exceed the limit or start the same run. A pass runs every
/// <see cref="PipelineServerOptions.PollInterval"/>, and at once when a run is queued or one ends here. Each pass also
/// refreshes the heartbeat of the runs this process executes and fails any <c>running</c> run whose heartbeat is older
/// than <see cref="PipelineServerOptions.EffectiveStaleRunAfter"/> (its replica died or stopped responding), so runs of
/// live replicas are left alone and a run is never stuck <c>running</c>.
/// </summary>
public sealed partial class PipelineRunCoordinator(
    IPipelineStore store,
    LoopbackClientFactory loopback,
    IStepExecutorFactory executors,
    PipelineServerOptions options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<PipelineRunCoordinator> logger) : BackgroundService
{
    /// <summary>The error of a run failed because its heartbeat went stale.</summary>
    public const string StaleError = "the replica running it stopped responding";

    /// <summary>The error of a run stopped because this server shut down while executing it.</summary>
    public const string StoppingError = "server stopping";

    private readonly ConcurrentDictionary<string, ActiveRun> _active = new(StringComparer.Ordinal);
    private readonly WakeSignal _wake = new();
    private readonly SemaphoreSlim _passGate = new(1, 1);

    /// <summary>Runs executing in this process, by id.</summary>
    public IReadOnlyCollection<string> ActiveRunIds => [.. _active.Keys];

    /// <summary>Wakes the loop (a run was queued or a slot freed).</summary>
    public void Signal() => _wake.Notify();

    /// <summary>Stops a run executing in this process (the store already records the request).</summary>
    public void CancelLocal(string id)
    {
        if (_active.TryGetValue(id, out var run))
            run.Cancel();
    }

    /// <summary>A step's log so far, while its run executes in this process.</summary>
    public string? LiveLog(string runId, string stepId) =>
        _active.TryGetValue(runId, out var run) && run.Logs.TryGetValue(stepId, out var log)
            ? Tracking.TrackedPipelineRun.FormatLiveLog(log)
            : null;

    /// <summary>Whether a step has started in this process and is writing a log (it is running here now).</summary>
    public bool HasLiveLog(string runId, string stepId) =>
        _active.TryGetValue(runId, out var run) && run.Logs.ContainsKey(stepId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.ExecutorEnabled)
            return;
        // The loopback client needs the listen address, known once the server has started.
        try
        {
            await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStarted.IsCancellationRequested)
        {
        }
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunPassAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception exception)
                {
                    LogPassFailed(logger, exception);
                }
                try
                {
                    await _wake.WaitAsync(options.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            // However the loop ended (a stop that lands in the middle of a pass included), the runs in flight are
            // stopped and their end recorded as "server stopping" before the host goes on to dispose the store.
            foreach (var run in _active.Values)
                run.Stop();
            await Task.WhenAll(_active.Values.Select(r => r.Completion));
        }
    }

    /// <summary>
    /// Fails <c>running</c> runs whose heartbeat is older than <see cref="PipelineServerOptions.EffectiveStaleRunAfter"/>,
    /// in the store and in tracking; returns their ids. Runs this process executes are refreshed first, so they are never stale.
    /// </summary>
    public async Task<IReadOnlyList<string>> FailStaleRunsAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await store.HeartbeatRunsAsync(_active.Keys.ToList(), now, ct);
        var staleBefore = now - (long)options.EffectiveStaleRunAfter.TotalMilliseconds;
        var failed = await store.FailStaleRunsAsync(staleBefore, StaleError, now, ct);
        foreach (var run in failed)
        {
            LogStale(logger, run.Id, run.Replica ?? "?");
            try
            {
                await loopback.Client.SetTerminatedAsync(run.Id, RunStatus.Failed, ct);
            }
            catch (Exception exception) when (exception is SlipwayApiException or HttpRequestException or Core.Errors.SlipwayException)
            {
                LogTrackingFailed(logger, run.Id, exception);
            }
        }
        return [.. failed.Select(r => r.Id)];
    }

    /// <summary>
    /// One pass: refresh this process's heartbeats and fail stale runs, stop runs whose cancellation was requested
    /// elsewhere (or that were ended meanwhile), then start what the limits allow.
    /// </summary>
    public async Task RunPassAsync(CancellationToken ct)
    {
        await _passGate.WaitAsync(ct);
        try
        {
            await FailStaleRunsAsync(ct);
            foreach (var (id, run) in _active)
            {
                // Cancelled elsewhere, or already ended by a stale-run sweep (this process stalled past the limit).
                if (await store.GetRunAsync(id, ct) is { } stored && (stored.CancelRequested || PipelineRunStates.IsFinal(stored.Status)))
                    run.Cancel();
            }
            var blocked = new HashSet<string>(StringComparer.Ordinal);
            var limits = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var queued in await store.ListQueuedRunsAsync(ct))
            {
                if (blocked.Contains(queued.Pipeline))
                    continue;
                if (!limits.TryGetValue(queued.Pipeline, out var limit))
                {
                    limit = (await store.GetAsync(queued.Pipeline, ct))?.Concurrency ?? 1;
                    limits[queued.Pipeline] = limit;
                }
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                if (!await store.TryStartRunAsync(queued.Id, limit, options.Replica, now, ct))
                {
                    // Keep the queue's order: a later run of the same pipeline must not overtake this one.
                    blocked.Add(queued.Pipeline);
                    continue;
                }
                Launch(queued with { Status = PipelineRunStates.Running, StartTime = now, Replica = options.Replica, HeartbeatTime = now });
            }
        }
        finally
        {
            _passGate.Release();
        }
    }

    private void Launch(PipelineRunRecord run)
    {
        var active = new ActiveRun(lifetime.ApplicationStopping);
        _active[run.Id] = active;
        LogStarted(logger, run.Pipeline, run.Id, run.TriggerKind);
        active.Completion = Task.Run(async () =>
        {
            try
            {
                await ExecuteRunAsync(run, active);
            }
            finally
            {
                _active.TryRemove(run.Id, out _);
                active.Dispose();
                Signal();
            }
        });
    }

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Starting pipeline {Pipeline} run {RunId} ({Trigger})")]
    private static partial void LogStarted(ILogger logger, string pipeline, string runId, string trigger);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Pipeline {Pipeline} run {RunId} ended {Status}")]
    private static partial void LogFinished(ILogger logger, string pipeline, string runId, string status);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "Pipeline {Pipeline} run {RunId} failed to execute")]
    private static partial void LogRunFailed(ILogger logger, string pipeline, string runId, Exception exception);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "The pipeline run coordinator failed a pass; it retries at the next one")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Pipeline run {RunId} of replica {Replica} has a stale heartbeat (the replica stopped responding); marked failed")]
    private static partial void LogStale(ILogger logger, string runId, string replica);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Could not close the tracking run of pipeline run {RunId}")]
    private static partial void LogTrackingFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Error, Message = "Could not record the end ({Status}) of pipeline run {RunId}; the stale-run sweep fails it later")]
    private static partial void LogFinishFailed(ILogger logger, string runId, string status, Exception exception);
}
