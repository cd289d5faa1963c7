using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Slipway.Serving.DataPlane;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Endpoints;

/// <summary>
/// Loaded models shared by every route and endpoint serving the same files (<see cref="ResolvedModel.Key"/>), counted
/// by reference: the first <see cref="AcquireAsync"/> loads (and warms up) the model, later ones share that load, and the
/// last <see cref="Release"/> retires it. A failed load takes no reference and is forgotten, so the next acquire retries.
/// </summary>
internal sealed class ModelPool(IModelLoader loader, IModelSource models, ServingOptions options, TimeProvider clock, ILogger<ModelPool> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public Task<LiveModel> Loading { get; set; } = null!;

        public int References { get; set; }
    }

    /// <summary>Models loaded or loading, for diagnostics and tests.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _entries.Count;
        }
    }

    /// <summary>Takes a reference on the model, loading it unless it is loaded or loading; the caller releases it once.</summary>
    public Task<LiveModel> AcquireAsync(ResolvedModel model, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(model.Key, out var entry))
            {
                entry = new Entry();
                entry.Loading = LoadAsync(model, entry, ct);
                _entries[model.Key] = entry;
            }
            entry.References++;
            return entry.Loading;
        }
    }

    public void Release(LiveModel model)
    {
        lock (_gate)
        {
            // The entry must be this very load: after a retirement the same key may be loading afresh.
            if (!_entries.TryGetValue(model.Source.Key, out var entry)
                || !entry.Loading.IsCompletedSuccessfully || entry.Loading.Result != model
                || --entry.References > 0)
                return;
            _entries.Remove(model.Source.Key);
        }
        EndpointLog.ModelRetired(logger, model.DisplayName);
        ServingMetrics.ModelLoadSeconds.RemoveLabelled(model.Source.ModelName, model.Source.Version);
        ServingMetrics.ModelMemoryBytes.RemoveLabelled(model.Source.ModelName, model.Source.Version);
        _ = RetireAsync(model);
    }

    private async Task<LiveModel> LoadAsync(ResolvedModel model, Entry entry, CancellationToken ct)
    {
        // Off the caller's thread and out of the lock: copying and warming up a model takes a while.
        await Task.Yield();
        var started = Stopwatch.GetTimestamp();
        try
        {
            var path = await models.MaterializeAsync(model, ct);
            var loaded = await loader.LoadAsync(path, ct);
            EndpointLog.ModelLoaded(logger, model.DisplayName, loaded.LoadTime.TotalMilliseconds, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            ServingMetrics.ModelLoadSeconds.WithLabels(model.ModelName, model.Version).Set(loaded.LoadTime.TotalSeconds);
            ServingMetrics.ModelMemoryBytes.WithLabels(model.ModelName, model.Version).Set(loaded.MemoryBytes);
            ServingMetrics.ModelLoads.WithLabels(model.ModelName, "loaded").Inc();
            return new LiveModel(model, loaded);
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(model.Key, out var current) && current == entry)
                    _entries.Remove(model.Key);
            }
            EndpointLog.ModelLoadFailed(logger, model.DisplayName, e);
            ServingMetrics.ModelLoads.WithLabels(model.ModelName, "failed").Inc();
            throw;
        }
    }

    private async Task RetireAsync(LiveModel model)
    {
        try
        {
            await model.RetireAsync(options.SwapGracePeriod, clock);
        }
        catch (Exception e)
        {
            EndpointLog.ModelDisposeFailed(logger, model.DisplayName, e);
        }
    }
}
