using Slipway.Serving.Inference;

namespace Slipway.Serving.Endpoints;

/// <summary>
/// A route with the model it serves now and, when the endpoint batches, the route's batcher in front of that model:
/// a request enters and runs through the batcher if there is one, else the model.
/// </summary>
internal sealed class LiveRoute(string name, int weight, LiveModel model, RouteBatcher? batcher = null)
{
    public string Name { get; } = name;

    public int Weight { get; } = weight;

    public LiveModel Model { get; } = model;

    public RouteBatcher? Batcher { get; } = batcher;

    /// <summary>The route's metric series, attached by <see cref="ServedEndpoint.Publish"/> before any request sees the route.</summary>
    public RouteMetrics? Metrics { get; set; }

    public bool TryEnter() => Batcher?.TryEnter() ?? Model.TryEnter();

    public void Exit()
    {
        if (Batcher is { } batcher)
            batcher.Exit();
        else
            Model.Exit();
    }

    public ValueTask<IReadOnlyList<Tensor>> RunAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken ct) =>
        Batcher is { } batcher
            ? new ValueTask<IReadOnlyList<Tensor>>(batcher.RunAsync(inputs, requestedOutputs, ct))
            : Model.Model.RunAsync(inputs, requestedOutputs, ct);
}

/// <summary>
/// An immutable snapshot of where an endpoint's traffic goes: the routes that have a model, in spec order, with their
/// weights, and the shadow. The manager publishes a new table on every change and a request reads one table once, so
/// a swap is a single reference write and no request ever sees half of one.
/// </summary>
internal sealed class RoutingTable
{
    public static readonly RoutingTable Empty = new([], null, null, "no route has a model loaded yet");

    private readonly LiveRoute[] _weighted;
    private readonly int[] _cumulative;

    public RoutingTable(IReadOnlyList<LiveRoute> routes, LiveRoute? shadow, string? stickyHeader, string? notReadyReason, double logSampleRate = 0)
    {
        Routes = routes;
        LogSampleRate = logSampleRate;
        Shadow = shadow;
        StickyHeader = stickyHeader;
        var weighted = new List<LiveRoute>(routes.Count);
        var cumulative = new List<int>(routes.Count);
        var versions = new List<string>(routes.Count);
        foreach (var route in routes)
        {
            if (!versions.Contains(route.Model.Source.Version))
                versions.Add(route.Model.Source.Version);
            if (route.Weight <= 0)
                continue;
            TotalWeight += route.Weight;
            weighted.Add(route);
            cumulative.Add(TotalWeight);
        }
        _weighted = [.. weighted];
        _cumulative = [.. cumulative];
        Versions = versions;
        NotReadyReason = notReadyReason ?? "no route with a weight above 0 has a model loaded";
    }

    /// <summary>Routes with a model, in spec order (weight 0 included: loaded, but sent no traffic).</summary>
    public IReadOnlyList<LiveRoute> Routes { get; }

    public LiveRoute? Shadow { get; }

    public string? StickyHeader { get; }

    /// <summary>The fraction of requests written to the inference log (the spec's <c>log_sample_rate</c>).</summary>
    public double LogSampleRate { get; }

    /// <summary>Sum of the weights of <see cref="Routes"/>; 0 means nothing can answer.</summary>
    public int TotalWeight { get; }

    public IReadOnlyList<string> Versions { get; }

    /// <summary>Why the endpoint cannot answer, for the error message when <see cref="TotalWeight"/> is 0.</summary>
    public string NotReadyReason { get; }

    /// <summary>The route whose model describes the endpoint (signature, platform): the first one that has a model.</summary>
    public LiveRoute? Primary => Routes.Count > 0 ? Routes[0] : null;

    /// <summary>
    /// The request's sticky routing key: the value of <see cref="StickyHeader"/>, or null. Read it before the request's
    /// first await: the header collection belongs to the server, which reuses it once the request is answered.
    /// </summary>
    public string? StickyKey(InferenceContext context) => StickyHeader is null ? null : context.Header(StickyHeader);

    /// <summary>
    /// A route for one request, by weight: with a sticky key, the same key always lands on the same route (a stable hash
    /// of the key modulo the total weight); otherwise at random.
    /// </summary>
    public LiveRoute Pick(string? stickyKey)
    {
        var point = stickyKey is { Length: > 0 }
            ? (int)(StableHash(stickyKey) % (ulong)TotalWeight)
            : Random.Shared.Next(TotalWeight);
        for (var i = 0; i < _cumulative.Length - 1; i++)
        {
            if (point < _cumulative[i])
                return _weighted[i];
        }
        return _weighted[^1];
    }

    /// <summary>FNV-1a over the UTF-16 code units, then a 64-bit finalizer so that every bit of the key reaches the low bits.</summary>
    internal static ulong StableHash(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
