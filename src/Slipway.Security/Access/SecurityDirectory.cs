using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using Slipway.Core.Security;
using Slipway.Security.Credentials;

namespace Slipway.Security.Access;

/// <summary>
/// Users, tokens and grants as the request path sees them: read from <see cref="ISecurityStore"/> and kept for
/// <see cref="SecurityOptions.AccessCacheLifetime"/>, so a busy client costs no database read per request. Changes made
/// through this process drop the affected entries at once (<see cref="ISecurityCache"/>).
/// </summary>
public sealed class SecurityDirectory(ISecurityStore store, SecurityOptions options, TimeProvider time) : ISecurityCache, IEndpointTokenPolicy
{
    private readonly ConcurrentDictionary<string, Entry<SlipwayUser?>> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<AccessToken?>> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<IReadOnlyDictionary<ResourceRef, PermissionLevel>>> _grants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<bool>> _endpointTokens = new(StringComparer.Ordinal);
    private long _grantsGeneration;
    private readonly StrongBox<long> _usersGeneration = new();
    private readonly StrongBox<long> _tokensGeneration = new();

    public ISecurityStore Store => store;

    public Task<SlipwayUser?> FindUserAsync(string name, CancellationToken ct) =>
        CachedAsync(_users, name, _usersGeneration, () => store.FindUserAsync(name, ct));

    public Task<AccessToken?> FindTokenAsync(string hash, CancellationToken ct) =>
        CachedAsync(_tokens, hash, _tokensGeneration, () => store.FindTokenByHashAsync(hash, ct));

    /// <summary>Whether the endpoint accepts only its own tokens (see <see cref="ISecurityStore.EndpointRequiresTokenAsync"/>).</summary>
    public Task<bool> EndpointRequiresTokenAsync(string endpoint, CancellationToken ct) =>
        CachedAsync(_endpointTokens, endpoint, _tokensGeneration, () => store.EndpointRequiresTokenAsync(endpoint, ct));

    ValueTask<bool> IEndpointTokenPolicy.RequiresTokenAsync(string endpoint, CancellationToken ct) =>
        new(EndpointRequiresTokenAsync(endpoint, ct));

    /// <summary>The user's explicit grants by resource.</summary>
    public async Task<IReadOnlyDictionary<ResourceRef, PermissionLevel>> GrantsOfAsync(string user, CancellationToken ct)
    {
        var generation = Interlocked.Read(ref _grantsGeneration);
        var now = time.GetUtcNow();
        if (_grants.TryGetValue(user, out var cached) && cached.Expires > now && cached.Generation == generation)
            return cached.Value;
        var list = await store.ListPermissionsAsync(null, null, user, ct);
        var grants = list.ToDictionary(g => new ResourceRef(g.Kind, g.Key), g => g.Level);
        _grants[user] = new Entry<IReadOnlyDictionary<ResourceRef, PermissionLevel>>(grants, now + options.AccessCacheLifetime, generation);
        return grants;
    }

    public void UserChanged(string user)
    {
        Interlocked.Increment(ref _usersGeneration.Value);
        _users.TryRemove(user, out _);
        _grants.TryRemove(user, out _);
    }

    public void TokenChanged(string hash)
    {
        Interlocked.Increment(ref _tokensGeneration.Value);
        _tokens.TryRemove(hash, out _);
        // A new endpoint token makes its endpoint token-only; which endpoint is not known here, so ask again for all.
        _endpointTokens.Clear();
    }

    public void GrantsChanged()
    {
        Interlocked.Increment(ref _grantsGeneration);
        _grants.Clear();
    }

    /// <summary>
    /// Reads through the cache. A read that was in flight when a change cleared the cache must not put the old row
    /// back: it is returned to its caller but stored only if no change happened since it began (the generation).
    /// </summary>
    private async Task<T> CachedAsync<T>(ConcurrentDictionary<string, Entry<T>> cache, string key, StrongBox<long> changes, Func<Task<T>> load)
    {
        var now = time.GetUtcNow();
        if (cache.TryGetValue(key, out var cached) && cached.Expires > now)
            return cached.Value;
        var generation = Interlocked.Read(ref changes.Value);
        var value = await load();
        if (Interlocked.Read(ref changes.Value) != generation)
            return value;
        if (cache.Count > 50_000)
            cache.Clear(); // bounded: a stream of unknown tokens must not grow memory without limit
        cache[key] = new Entry<T>(value, now + options.AccessCacheLifetime, generation);
        return value;
    }

    private sealed record Entry<T>(T Value, DateTimeOffset Expires, long Generation);
}
