using Slipway.Client;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors.BuiltIn;

internal sealed partial class DeployRollout
{
    /// <summary>
    /// Watches one stage: from a baseline snapshot of the route counters, polls until the new route has answered
    /// min_requests in the window and the stage has lasted stage_duration, then judges the window. A regression is
    /// reported as soon as the window holds min_requests, without waiting out the stage. Returns null when the stage
    /// passed, else why it did not.
    /// </summary>
    private async Task<string?> ObserveAsync(int index, CancellationToken ct)
    {
        var baseline = await _client.GetEndpointStatsAsync(_settings.Endpoint, ct);
        var started = _time.GetTimestamp();
        while (true)
        {
            await Task.Delay(_settings.PollInterval, _time, ct);
            var elapsed = _time.GetElapsedTime(started);
            var current = await _client.GetEndpointStatsAsync(_settings.Endpoint, ct);
            var window = DeployWindow.Between(baseline, current, _settings.Route, _oldRoutes);
            if (window.New.Requests >= _settings.MinRequests)
            {
                var regression = window.Judge(_settings);
                if (regression is null && elapsed < _settings.StageDuration)
                    continue;
                Log($"stage {_stage}% after {Seconds(elapsed)}: {window.Describe()}: {regression ?? "passed"}");
                await LogStageMetricsAsync(index, window, ct);
                return regression;
            }
            if (elapsed >= _settings.StageTimeout)
            {
                Log($"stage {_stage}% after {Seconds(elapsed)}: {window.Describe()}: not enough traffic");
                await LogStageMetricsAsync(index, window, ct);
                return $"not enough traffic: the new route answered {window.New.Requests} requests in {Seconds(elapsed)}, " +
                    $"fewer than min_requests ({_settings.MinRequests})";
            }
        }
    }

    private Task LogStageMetricsAsync(int index, DeployWindow window, CancellationToken ct)
    {
        var metrics = new List<Metric>
        {
            Metric("rollout.stage", _stage, index),
            Metric("rollout.new_requests", window.New.Requests, index),
            Metric("rollout.old_requests", window.Old.Requests, index),
            Metric("rollout.new_error_rate", window.New.ErrorRate, index),
            Metric("rollout.old_error_rate", window.Old.ErrorRate, index),
        };
        // A p99 is NaN when a side answered nothing; leave it out rather than log a NaN point.
        if (double.IsFinite(window.NewP99Ms))
            metrics.Add(Metric("rollout.new_p99_ms", window.NewP99Ms, index));
        if (double.IsFinite(window.OldP99Ms))
            metrics.Add(Metric("rollout.old_p99_ms", window.OldP99Ms, index));
        return LogRunDataAsync(metrics, [], ct);
    }

    private Metric Metric(string key, double value, int step) => new(key, value, _time.GetUtcNow().ToUnixTimeMilliseconds(), step);

    /// <summary>
    /// Logs metrics and tags on the step's child run, if it has one. Tracking is a record of the rollout, not part of
    /// it: any failure to log (a server error, a deleted run, an HTTP timeout) is a warning in the step log and the
    /// rollout goes on; only cancellation of <paramref name="ct"/> propagates.
    /// </summary>
    private async Task LogRunDataAsync(IReadOnlyList<Metric> metrics, IReadOnlyList<(string Key, string Value)> tags, CancellationToken ct)
    {
        if (_invocation.MlflowRunId is not { } runId)
            return;
        try
        {
            await _client.LogBatchAsync(runId, metrics, tags: tags.Select(t => new Tag(t.Key, t.Value)), ct: ct);
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            Warn($"could not log the rollout on run {runId}: {e.GetType().Name}: {e.Message}");
        }
    }
}
