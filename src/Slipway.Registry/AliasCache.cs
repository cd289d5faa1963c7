using System.Collections.Concurrent;

namespace Slipway.Registry;

/// <summary>
/// Alias → version answers for <c>models:/name@alias</c>, so that serving resolves aliases without a database round
/// trip. Every alias-changing call in this process invalidates the model's entries before it returns; entries
/// also expire after <see cref="RegistryOptions.AliasCacheLifetime"/> to bound staleness across replicas when a change
/// notification from another replica (the storage change feed) is lost.
/// </summary>
public sealed class AliasCache(RegistryOptions options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Model, string Alias), Entry> _entries = new();
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);

    // Moved by InvalidateAll: it covers models with no entry yet, whose lookups may be in flight during a resync.
    private long _epoch;

    private sealed record Entry(long? Version, long ExpiresAt);

    public bool TryGet(string model, string alias, out long? version)
    {
        if (_entries.TryGetValue((model, alias), out var entry) && entry.ExpiresAt > clock.GetTimestamp())
        {
            version = entry.Version;
            return true;
        }
        version = null;
        return false;
    }

    /// <summary>Read before a database lookup and passed to <see cref="Set"/>: a lookup that overlapped an invalidation is not cached.</summary>
    /// <remarks>The model's generation plus the global epoch: both only grow, so any invalidation changes the sum.</remarks>
    public long Generation(string model) => Interlocked.Read(ref _epoch) + _generations.GetValueOrDefault(model);

    public void Set(string model, string alias, long? version, long generation)
    {
        if (Generation(model) != generation)
            return;
        var lifetime = (long)(options.AliasCacheLifetime.TotalSeconds * clock.TimestampFrequency);
        _entries[(model, alias)] = new Entry(version, clock.GetTimestamp() + lifetime);
    }

    public void Invalidate(string model)
    {
        // The generation moves first, so a lookup that read the old value before this call cannot store it afterwards.
        _generations.AddOrUpdate(model, 1, (_, g) => g + 1);
        foreach (var key in _entries.Keys)
        {
            if (key.Model == model)
                _entries.TryRemove(key, out _);
        }
    }

    /// <summary>Forgets every entry (another replica's changes may have been missed, e.g. while a change feed reconnected).</summary>
    public void InvalidateAll()
    {
        // The epoch moves first, so no lookup that started before this call (for any model, cached or not) stores
        // what it read afterwards.
        Interlocked.Increment(ref _epoch);
        _entries.Clear();
    }
}
