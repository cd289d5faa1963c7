using Prometheus;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Endpoints;

/// <summary>
/// A loaded model version as the router uses it. Requests enter and exit around each run; retiring it waits the grace
/// period and then until no request is inside before disposing, so a swap never pulls a model out from under a
/// request (one that arrives after disposal is told to re-read the routing table instead).
/// </summary>
internal sealed class LiveModel(ResolvedModel source, ILoadedModel model)
{
    private readonly UseGate _uses = new();

    public ResolvedModel Source { get; } = source;

    public ILoadedModel Model { get; } = model;

    /// <summary><c>model/version</c>, computed once because every response carries it.</summary>
    public string DisplayName { get; } = source.DisplayName;

    public bool TryEnter() => _uses.TryEnter();

    public void Exit() => _uses.Exit();

    public async Task RetireAsync(TimeSpan grace, TimeProvider clock)
    {
        if (grace > TimeSpan.Zero)
            await Task.Delay(grace, clock);
        await _uses.CloseAsync(clock);
        Model.Dispose();
    }
}

/// <summary>
/// A route's adaptive batcher in front of a <see cref="LiveModel"/>. It holds one use of the model for its whole life,
/// so the model cannot be disposed while the batcher may still run it: retiring waits until no request is inside,
/// disposes the batcher (its runners finish their batch), and only then lets go of the model. Requests enter and exit
/// it as they would the model, and one that arrives after retirement re-reads the routing table.
/// </summary>
internal sealed class RouteBatcher
{
    private readonly UseGate _uses = new();
    private readonly AdaptiveBatcher _batcher;
    private readonly Gauge.Child _queueDepth;

    private RouteBatcher(LiveModel model, BatchingSpec spec, AdaptiveBatcher batcher, Gauge.Child queueDepth)
    {
        Model = model;
        Spec = spec;
        _batcher = batcher;
        _queueDepth = queueDepth;
    }

    public LiveModel Model { get; }

    /// <summary>The endpoint's batching settings this batcher was made with; a change makes a new batcher.</summary>
    public BatchingSpec Spec { get; }

    public int QueueDepth => _batcher.QueueDepth;

    /// <summary>A batcher over <paramref name="model"/>, or null when the model is already retired.</summary>
    public static RouteBatcher? Start(LiveModel model, BatchingSpec spec, string endpoint, string route)
    {
        if (!model.TryEnter())
            return null;
        var sizes = ServingMetrics.BatchSize.WithLabels(endpoint, route);
        var depth = ServingMetrics.QueueDepth.WithLabels(endpoint, route);
        AdaptiveBatcher? batcher = null;
        batcher = new AdaptiveBatcher(model.Model, new BatchOptions(spec.MaxBatchSize, spec.MaxQueueDelay, spec.MaxQueueSize, Environment.ProcessorCount))
        {
            BatchRan = rows =>
            {
                sizes.Observe(rows);
                depth.Set(batcher!.QueueDepth);
            },
        };
        return new RouteBatcher(model, spec, batcher, depth);
    }

    public bool TryEnter() => _uses.TryEnter();

    public void Exit() => _uses.Exit();

    /// <summary>Queues the request; a full queue throws <c>REQUEST_LIMIT_EXCEEDED</c> (429 / RESOURCE_EXHAUSTED).</summary>
    public Task<IReadOnlyList<Tensor>> RunAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken ct) =>
        _batcher.RunAsync(inputs, requestedOutputs, ct);

    /// <summary>Called once the batcher is out of the published table; requests already inside finish first.</summary>
    public async Task RetireAsync()
    {
        try
        {
            await _uses.CloseAsync(TimeProvider.System);
            await _batcher.DisposeAsync();
            _queueDepth.Set(0);
        }
        finally
        {
            Model.Exit();
        }
    }

    /// <summary>At shutdown: stops the runners now; requests still queued are told to retry.</summary>
    public void DisposeNow()
    {
        _batcher.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Model.Exit();
    }
}

/// <summary>
/// Counts requests inside something that can be retired. Closing waits until nobody is inside and then sets the count
/// to <see cref="int.MinValue"/>, so that a late <see cref="TryEnter"/> sees a negative count and backs off.
/// </summary>
internal sealed class UseGate
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private int _uses;

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _uses) > 0)
            return true;
        Interlocked.Decrement(ref _uses);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _uses);

    public async Task CloseAsync(TimeProvider clock)
    {
        while (Interlocked.CompareExchange(ref _uses, int.MinValue, 0) != 0)
            await Task.Delay(PollInterval, clock);
    }
}
