using System.Diagnostics;
using Prometheus;
using Slipway.Serving.Inference;
using Slipway.Serving.Logging;

namespace Slipway.Serving.Endpoints;

public sealed partial class ServedEndpoint
{
    // Shadow runs are extra work on the same cores: beyond this many at once, copies are dropped (and counted) rather
    // than queued, so a slow shadow can never build up memory or steal the primary's capacity without bound.
    private static readonly int MaxShadowInFlight = Math.Max(64, Environment.ProcessorCount * 16);

    private readonly Counter.Child _shadowRequestsMetric;
    private readonly Counter.Child _shadowDisagreementsMetric;
    private long _shadowRequests;
    private long _shadowCompleted;
    private long _shadowErrors;
    private long _shadowDisagreements;
    private long _shadowDropped;
    private int _shadowInFlight;

    public ShadowStatistics ShadowStatistics => new(
        Interlocked.Read(ref _shadowRequests), Interlocked.Read(ref _shadowCompleted), Interlocked.Read(ref _shadowErrors),
        Interlocked.Read(ref _shadowDisagreements), Interlocked.Read(ref _shadowDropped));

    /// <summary>
    /// Queues the shadow run on the thread pool; the caller's response never waits for it or sees its failure. With
    /// <paramref name="log"/> (the request was sampled) the shadow's answer is logged too, under the same request id.
    /// </summary>
    private void StartShadow(LiveRoute shadow, InferenceRequest request, IReadOnlyList<Tensor> primaryOutputs, string requestId, IInferenceLog? log)
    {
        if (Interlocked.Increment(ref _shadowInFlight) > MaxShadowInFlight)
        {
            Interlocked.Decrement(ref _shadowInFlight);
            Interlocked.Increment(ref _shadowDropped);
            return;
        }
        Interlocked.Increment(ref _shadowRequests);
        _shadowRequestsMetric.Inc();
        ThreadPool.UnsafeQueueUserWorkItem(
            static run => _ = run.Endpoint.RunShadowAsync(run),
            new ShadowRun(this, shadow, request, primaryOutputs, requestId, log),
            preferLocal: false);
    }

    private async Task RunShadowAsync(ShadowRun run)
    {
        var model = run.Shadow.Model;
        var entered = false;
        try
        {
            entered = model.TryEnter();
            if (!entered)
                throw new ObjectDisposedException(model.DisplayName);
            var timestamp = run.Log is null ? 0 : Clock.GetUtcNow().ToUnixTimeMilliseconds();
            var started = Stopwatch.GetTimestamp();
            SignatureValidator.Validate(model.Model.Signature, run.Request.Inputs, run.Request.RequestedOutputs, MaxRequestElements);
            var outputs = await model.Model.RunAsync(run.Request.Inputs, run.Request.RequestedOutputs, CancellationToken.None);
            var latency = Stopwatch.GetElapsedTime(started);
            run.Log?.TryWrite(new InferenceLogRecord(
                run.RequestId, Name, run.Shadow.Name, model.DisplayName, timestamp, latency.TotalMilliseconds, run.Request.Inputs, outputs, Shadow: true));
            if (!ShadowComparer.Agree(run.PrimaryOutputs, outputs))
            {
                Interlocked.Increment(ref _shadowDisagreements);
                _shadowDisagreementsMetric.Inc();
            }
        }
        catch (Exception)
        {
            // A shadow is an experiment: its failures are counted, never surfaced to the caller.
            Interlocked.Increment(ref _shadowErrors);
            _shadowDisagreementsMetric.Inc();
        }
        finally
        {
            if (entered)
                model.Exit();
            Interlocked.Decrement(ref _shadowInFlight);
            Interlocked.Increment(ref _shadowCompleted);
        }
    }

    /// <summary>What a shadow run needs, taken from the request while it was live (never its context).</summary>
    private sealed record ShadowRun(
        ServedEndpoint Endpoint, LiveRoute Shadow, InferenceRequest Request, IReadOnlyList<Tensor> PrimaryOutputs, string RequestId, IInferenceLog? Log);
}
