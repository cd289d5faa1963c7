using System.Collections.Concurrent;
using Slipway.Core.Security;

namespace Slipway.Serving.Security;

/// <summary>
/// Which endpoints accept only their own endpoint tokens (<see cref="ISecurityStore.EndpointRequiresTokenAsync"/>),
/// remembered per endpoint for <see cref="Lifetime"/>: the answer is asked on every inference request, which must not
/// cost a database read. A token issued for an endpoint a moment ago therefore closes it to users within that time.
/// </summary>
public sealed class EndpointTokenRequirements(ISecurityStore store, TimeProvider clock)
{
    /// <summary>How long an answer is reused; the security module's own caches keep users, tokens and grants as long.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    // Names come from request paths; past this many the cache starts over rather than grow without limit.
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly long _lifetimeTicks = (long)(Lifetime.TotalSeconds * clock.TimestampFrequency);

    public ValueTask<bool> RequiresTokenAsync(string endpoint, CancellationToken ct)
    {
        var now = clock.GetTimestamp();
        return _entries.TryGetValue(endpoint, out var entry) && entry.ExpiresAt > now
            ? ValueTask.FromResult(entry.RequiresToken)
            : new ValueTask<bool>(LoadAsync(endpoint, now, ct));
    }

    /// <summary>Forgets the endpoint's answer, so that the next request asks the store (after a token change here).</summary>
    public void Forget(string endpoint) => _entries.TryRemove(endpoint, out _);

    private async Task<bool> LoadAsync(string endpoint, long now, CancellationToken ct)
    {
        var requiresToken = await store.EndpointRequiresTokenAsync(endpoint, ct);
        if (_entries.Count >= MaxEntries)
            _entries.Clear();
        _entries[endpoint] = new Entry(requiresToken, now + _lifetimeTicks);
        return requiresToken;
    }

    private sealed record Entry(bool RequiresToken, long ExpiresAt);
}
