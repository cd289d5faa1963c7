using Prometheus;
using Slipway.Serving.Inference;

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

    /// <summary>Queues the shadow run on the thread pool; the caller's response never waits for it or sees its failure.</summary>
    private void StartShadow(LiveRoute shadow, InferenceRequest request, IReadOnlyList<Tensor> primaryOutputs)
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
            static state => _ = state.Endpoint.RunShadowAsync(state.Shadow, state.Request, state.Primary),
            (Endpoint: this, Shadow: shadow, Request: request, Primary: primaryOutputs),
            preferLocal: false);
    }

    private async Task RunShadowAsync(LiveRoute shadow, InferenceRequest request, IReadOnlyList<Tensor> primaryOutputs)
    {
        var model = shadow.Model;
        var entered = false;
        try
        {
            entered = model.TryEnter();
            if (!entered)
                throw new ObjectDisposedException(model.DisplayName);
            SignatureValidator.Validate(model.Model.Signature, request.Inputs, request.RequestedOutputs, MaxRequestElements);
            var outputs = await model.Model.RunAsync(request.Inputs, request.RequestedOutputs, CancellationToken.None);
            if (!ShadowComparer.Agree(primaryOutputs, outputs))
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
}
