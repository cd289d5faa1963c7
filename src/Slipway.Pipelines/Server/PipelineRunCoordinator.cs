using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Client;
using Slipway.Core.Pipelines;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Server;

/// <summary>
/// Starts and executes queued runs in this process. Each pass claims queued runs oldest first with
/// <see cref="IPipelineStore.TryStartRunAsync"/>, which succeeds only while the pipeline has fewer running runs than its
/// <c>concurrency</c>, so no two replicas exceed the limit or start the same run. A pass runs every
/// <see cref="PipelineServerOptions.PollInterval"/>, and at once when a run is queued or one ends here. On start, runs
/// left <c>running</c> by a process that died are failed ("server restarted"): this assumes one replica executes runs.
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
    public const string RestartedError = "server restarted";

    private readonly ConcurrentDictionary<string, ActiveRun> _active = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _passGate = new(1, 1);

    /// <summary>Runs executing in this process, by id.</summary>
    public IReadOnlyCollection<string> ActiveRunIds => [.. _active.Keys];

    /// <summary>Wakes the loop (a run was queued or a slot freed).</summary>
    public void Signal()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

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
        await RecoverAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunPassAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
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
        foreach (var run in _active.Values)
            run.Cancel();
        await Task.WhenAll(_active.Values.Select(r => r.Completion));
    }

    /// <summary>Fails runs a dead process left <c>running</c>, in the store and in tracking.</summary>
    public async Task<IReadOnlyList<string>> RecoverAsync(CancellationToken ct)
    {
        var failed = await store.FailRunningRunsAsync(RestartedError, time.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        foreach (var id in failed)
        {
            LogRecovered(logger, id);
            try
            {
                await loopback.Client.SetTerminatedAsync(id, RunStatus.Failed, ct);
            }
            catch (Exception exception) when (exception is SlipwayApiException or HttpRequestException or Core.Errors.SlipwayException)
            {
                LogTrackingFailed(logger, id, exception);
            }
        }
        return failed;
    }

    /// <summary>One pass: stop runs whose cancellation was requested elsewhere, then start what the limits allow.</summary>
    public async Task RunPassAsync(CancellationToken ct)
    {
        await _passGate.WaitAsync(ct);
        try
        {
            foreach (var (id, run) in _active)
            {
                if (await store.GetRunAsync(id, ct) is { CancelRequested: true })
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
                Launch(queued with { Status = PipelineRunStates.Running, StartTime = now, Replica = options.Replica });
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

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Pipeline run {RunId} was left running by a stopped server; marked failed")]
    private static partial void LogRecovered(ILogger logger, string runId);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Could not close the tracking run of pipeline run {RunId}")]
    private static partial void LogTrackingFailed(ILogger logger, string runId, Exception exception);
}
