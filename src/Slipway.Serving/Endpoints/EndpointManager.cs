using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Serving.DataPlane;
using Slipway.Serving.Inference;
using Slipway.Serving.Logging;

namespace Slipway.Serving.Endpoints;

/// <summary>
/// Keeps one live <see cref="ServedEndpoint"/> per stored endpoint. Every <see cref="ServingOptions.ReconcileInterval"/>,
/// and at once when <see cref="EndpointService"/> changes something, it re-reads the specs, resolves each route's
/// reference (aliases through the registry's alias cache, so an alias move is seen within one interval), and when a
/// route should serve another version, loads and warms that version up first and only then swaps it in with one
/// reference write. A failed load leaves the old version serving and the route <c>failed</c> with the error. Models are
/// shared by every route serving the same version and disposed after <see cref="ServingOptions.SwapGracePeriod"/> once
/// the last route lets go of them.
/// </summary>
public sealed partial class EndpointManager : BackgroundService, IInferenceTargets
{
    private readonly IEndpointSpecSource _specs;
    private readonly IModelSource _models;
    private readonly ModelPool _pool;
    private readonly ServingOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<EndpointManager> _logger;

    // Specs are applied by one pass at a time (the loop, or a change made through EndpointService), so an older
    // listing can never overwrite a newer revision. Loads run outside it.
    private readonly SemaphoreSlim _passLock = new(1, 1);

    // Guards the runtimes' slots; held only for short synchronous steps, never across an await.
    private readonly Lock _gate = new();
    private readonly RuntimeMap _endpoints;
    private readonly CancellationTokenSource _shutdown = new();
    private TaskCompletionSource _wake = NewSignal();
    private int _disposed;

    /// <param name="inferenceLog">Where endpoints log sampled requests; without one (unit tests) nothing is logged.</param>
    public EndpointManager(
        IEndpointSpecSource specs, IModelSource models, IModelLoader loader, ServingOptions options, TimeProvider clock, ILoggerFactory loggerFactory,
        IInferenceLog? inferenceLog = null)
    {
        _specs = specs;
        _endpoints = new RuntimeMap(inferenceLog, clock);
        _models = models;
        _options = options;
        _clock = clock;
        _logger = loggerFactory.CreateLogger<EndpointManager>();
        _pool = new ModelPool(loader, models, options, clock, loggerFactory.CreateLogger<ModelPool>());
    }

    public IInferenceTarget? Find(string name) => _endpoints.TryGetValue(name, out var runtime) ? runtime.Target : null;

    public IReadOnlyList<IInferenceTarget> All => [.. _endpoints.Values.Select(r => r.Target).OrderBy(t => t.Name, StringComparer.Ordinal)];

    /// <summary>The live endpoint, for status, statistics and tests.</summary>
    public ServedEndpoint? FindEndpoint(string name) => _endpoints.TryGetValue(name, out var runtime) ? runtime.Target : null;

    /// <summary>Loaded (or loading) model versions, each counted once however many routes share it.</summary>
    public int LoadedModelCount => _pool.Count;

    /// <summary>Asks the loop for a pass now instead of at the next interval.</summary>
    public void RequestReconcile() => Volatile.Read(ref _wake).TrySetResult();

    /// <summary>One full pass: re-reads every spec, resolves every reference, and waits for the loads it started.</summary>
    public async Task ReconcileAsync(CancellationToken ct)
    {
        var loads = await ReconcileOnceAsync(ct);
        await loads.WaitAsync(ct);
    }

    /// <summary>What the endpoint serves now, or null when this process does not serve it (yet).</summary>
    public EndpointStatus? GetStatus(string name)
    {
        lock (_gate)
            return _endpoints.TryGetValue(name, out var runtime) ? runtime.Status() : null;
    }

    /// <summary>Requests waiting in each batching route's queue, by route name (empty when the endpoint does not batch).</summary>
    public IReadOnlyDictionary<string, int> GetQueueDepths(string name)
    {
        lock (_gate)
            return _endpoints.TryGetValue(name, out var runtime) ? runtime.QueueDepths() : new Dictionary<string, int>();
    }

    /// <summary>Applies a spec just written by this process, so that its status reflects it at once; loading follows in the loop.</summary>
    public async Task ApplyAsync(EndpointRecord record, CancellationToken ct)
    {
        await _passLock.WaitAsync(ct);
        var released = new List<LiveModel>();
        try
        {
            lock (_gate)
                ApplyRecord(record, released);
        }
        finally
        {
            _passLock.Release();
        }
        ReleaseAll(released);
        RequestReconcile();
    }

    /// <summary>Stops serving an endpoint just deleted by this process.</summary>
    public async Task RemoveAsync(string name, CancellationToken ct)
    {
        await _passLock.WaitAsync(ct);
        var released = new List<LiveModel>();
        try
        {
            lock (_gate)
                RemoveRuntime(name, released);
        }
        finally
        {
            _passLock.Release();
        }
        ReleaseAll(released);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stopping = stoppingToken.Register(_shutdown.Cancel);
        while (!stoppingToken.IsCancellationRequested)
        {
            // A fresh signal before the pass: a change signalled during the pass triggers the next one immediately.
            var wake = Volatile.Read(ref _wake);
            if (wake.Task.IsCompleted)
            {
                wake = NewSignal();
                Volatile.Write(ref _wake, wake);
            }
            try
            {
                await ReconcileOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                EndpointLog.ReconcileFailed(_logger, e);
            }

            using var delay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var interval = Task.Delay(_options.ReconcileInterval, _clock, delay.Token);
            await Task.WhenAny(wake.Task, interval);
            await delay.CancelAsync();
        }
    }

    /// <summary>Disposes the models still served. Idempotent: the container disposes it once per registration it is reachable by.</summary>
    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        // The base cancels the loop's token first, whose registration cancels the loads.
        base.Dispose();
        _shutdown.Cancel();
        var models = new HashSet<LiveModel>();
        var batchers = new List<RouteBatcher>();
        lock (_gate)
        {
            foreach (var runtime in _endpoints.Values)
            {
                batchers.AddRange(runtime.Batchers);
                foreach (var slot in runtime.Slots)
                {
                    if (slot.Serving is { } model)
                        models.Add(model);
                }
            }
            _endpoints.Clear();
        }
        // A batcher's runners may be running its model: they stop first.
        foreach (var batcher in batchers)
            batcher.DisposeNow();
        foreach (var model in models)
            model.Model.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void ReleaseAll(List<LiveModel> released)
    {
        foreach (var model in released)
            _pool.Release(model);
    }

    /// <summary>
    /// The manager's endpoints by name. A runtime enters only through <see cref="GetOrAdd"/>, which hands its endpoint
    /// the manager's inference log and clock, so every endpoint logs alike however its creation was triggered.
    /// </summary>
    private sealed class RuntimeMap(IInferenceLog? inferenceLog, TimeProvider clock)
    {
        private readonly ConcurrentDictionary<string, EndpointRuntime> _byName = new(StringComparer.Ordinal);

        public ICollection<string> Keys => _byName.Keys;

        public ICollection<EndpointRuntime> Values => _byName.Values;

        public EndpointRuntime GetOrAdd(string name, Func<string, EndpointRuntime> create) =>
            _byName.GetOrAdd(name, static (key, state) => state.Map.Bind(state.Create(key)), (Map: this, Create: create));

        public bool TryGetValue(string name, [MaybeNullWhen(false)] out EndpointRuntime runtime) => _byName.TryGetValue(name, out runtime);

        public bool TryRemove(string name, [MaybeNullWhen(false)] out EndpointRuntime runtime) => _byName.TryRemove(name, out runtime);

        public void Clear() => _byName.Clear();

        private EndpointRuntime Bind(EndpointRuntime runtime)
        {
            runtime.Target.InferenceLog = inferenceLog;
            runtime.Target.Clock = clock;
            return runtime;
        }
    }
}
