using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Expressions;

namespace Slipway.Pipelines.Execution;

public sealed partial class PipelineRunner
{
    private static StepInvocation BuildInvocation(
        PipelineDefinition definition, StepDefinition step, PipelineRunRequest request, ExpressionContext context)
    {
        var resolver = new ExpressionResolver(context);
        return new StepInvocation
        {
            PipelineName = definition.Name,
            RunId = request.RunId,
            StepId = step.Id,
            Uses = step.Uses,
            With = resolver.Resolve(step.With),
            Run = resolver.Resolve(step.Run),
            Env = resolver.Resolve(step.Env),
            WorkingDirectory = request.WorkingDirectory,
            Log = request.LogFor?.Invoke(step.Id) ?? NullStepLog.Instance,
            TrackingUri = request.TrackingUri,
            Timeout = step.Timeout,
        };
    }

    /// <summary>One step: cache lookup, then attempts with timeout and backoff between them.</summary>
    private async Task<StepRunState> RunStepAsync(
        StepDefinition step, StepInvocation invocation, PipelineRunRequest request, StepRunState state,
        CancellationToken cancellationToken)
    {
        state = state with { StartedAt = _time.GetUtcNow() };
        using var span = Slipway.Core.Diagnostics.SlipwayActivity.StartPipelineStep(request.RunId, step.Id, step.Uses);
        if (!executors.TryGetValue(step.Uses, out var executor))
            return Finish(state, StepStatus.Failed, 0, $"no executor for uses: {step.Uses}");

        var cacheKey = step.Cache ? StepCacheKey.Compute(invocation) : null;
        if (cacheKey is not null && await _cache.TryGetAsync(cacheKey, cancellationToken) is { } hit)
        {
            invocation.Log.Write(StepLogStream.System, $"cache hit: reusing outputs of run {hit.RunId}");
            return Finish(state, StepStatus.Cached, 0, null) with { Outputs = hit.Outputs };
        }
        if (request.CreateStepRun is not null)
            invocation = invocation with { MlflowRunId = await request.CreateStepRun(step.Id, cancellationToken) };

        var attempts = step.Retries + 1;
        for (var attempt = 1; ; attempt++)
        {
            var (status, result, error) = await AttemptAsync(executor, step, invocation with { Attempt = attempt }, cancellationToken);
            if (status == StepStatus.Succeeded)
            {
                if (cacheKey is not null)
                    await _cache.StoreAsync(cacheKey, new CachedStep(result!.Outputs, invocation.RunId, _time.GetUtcNow()), cancellationToken);
                return Finish(state, status, attempt, null) with { Outputs = result!.Outputs };
            }
            if (status == StepStatus.Cancelled || attempt >= attempts)
                return Finish(state, status, attempt, error);

            var delay = Backoff(attempt);
            invocation.Log.Write(StepLogStream.System, $"attempt {attempt} of {attempts} {error}; retrying in {delay.TotalMilliseconds:0} ms");
            try
            {
                await Task.Delay(delay, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return Finish(state, StepStatus.Cancelled, attempt, "the run was cancelled");
            }
        }
    }

    private async Task<(StepStatus Status, StepResult? Result, string? Error)> AttemptAsync(
        IStepExecutor executor, StepDefinition step, StepInvocation invocation, CancellationToken cancellationToken)
    {
        using var timeout = step.Timeout is { } limit ? new CancellationTokenSource(limit, _time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var result = await ExecuteWithGraceAsync(executor, invocation, linked.Token);
            if (result.Succeeded)
                return (StepStatus.Succeeded, result, null);
            if (timeout.IsCancellationRequested)
                return (StepStatus.TimedOut, result, TimedOutMessage(step));
            return (StepStatus.Failed, result, result.Error ?? "failed");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (StepStatus.Cancelled, null, "the run was cancelled");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (StepStatus.TimedOut, null, TimedOutMessage(step));
        }
        catch (Exception e)
        {
            return (StepStatus.Failed, null, $"executor error: {e.Message}");
        }
    }

    /// <summary>
    /// Stops waiting when the token fires even if an executor ignores it, so a timeout always ends
    /// the attempt; but first gives the executor a grace period to clean up (kill its processes),
    /// so that a step is not reported finished while its work still runs.
    /// </summary>
    private async Task<StepResult> ExecuteWithGraceAsync(
        IStepExecutor executor, StepInvocation invocation, CancellationToken cancellationToken)
    {
        var execution = executor.ExecuteAsync(invocation, cancellationToken);
        try
        {
            return await execution.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            try
            {
                await execution.WaitAsync(_options.CancellationGracePeriod, _time, CancellationToken.None);
            }
            catch (Exception)
            {
                // Cancelled, failed or still running after the grace period: the attempt is over either way.
            }
            throw;
        }
    }

    private static string TimedOutMessage(StepDefinition step) => $"timed out after {step.Timeout}";

    private TimeSpan Backoff(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(_options.RetryBackoff.Ticks * factor, _options.MaxRetryBackoff.Ticks));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    private StepRunState Finish(StepRunState state, StepStatus status, int attempts, string? error) =>
        state with { Status = status, Attempts = attempts, Error = error, FinishedAt = _time.GetUtcNow() };
}
