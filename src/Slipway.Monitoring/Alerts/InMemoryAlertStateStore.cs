using System.Collections.Concurrent;

namespace Slipway.Monitoring.Alerts;

/// <summary>
/// Alert episodes in memory: for tests and for <c>slipway monitor</c> runs without a database. Episodes are kept
/// for the life of the process (history included), which suits both; the server uses the EF Core store.
/// </summary>
/// <param name="clock">The clock "resolved recently" is measured by; the system clock by default.</param>
/// <param name="resolvedActiveWindow">How long a resolved episode stays in the active list; 15 minutes by default, as in the EF Core store.</param>
public sealed class InMemoryAlertStateStore(TimeProvider? clock = null, TimeSpan? resolvedActiveWindow = null) : IAlertStateStore
{
    private readonly ConcurrentDictionary<string, AlertState> _episodes = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly TimeSpan _resolvedActiveWindow = resolvedActiveWindow ?? TimeSpan.FromMinutes(15);

    /// <summary>Every stored episode, for assertions.</summary>
    public IReadOnlyCollection<AlertState> All => _episodes.Values.ToList();

    public Task<IReadOnlyList<AlertState>> ListAsync(string? monitor, bool activeOnly, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var resolvedSince = _clock.GetUtcNow() - _resolvedActiveWindow;
        IReadOnlyList<AlertState> episodes = _episodes.Values
            .Where(e => monitor is null || e.Monitor == monitor)
            .Where(e => !activeOnly || e.Status == AlertStatus.Firing || (e.EndsAt is { } endsAt && endsAt >= resolvedSince))
            .OrderByDescending(e => e.StartsAt)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(episodes);
    }

    public Task UpsertAsync(AlertState state, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        _episodes[state.Id] = state;
        return Task.CompletedTask;
    }

    public Task<bool> TryClaimResendAsync(AlertState seen, DateTimeOffset sentAt, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        while (_episodes.TryGetValue(seen.Id, out var stored) && stored.UpdatedAt == seen.UpdatedAt && stored.LastSentAt == seen.LastSentAt)
        {
            if (_episodes.TryUpdate(seen.Id, stored with { LastSentAt = sentAt }, stored))
                return Task.FromResult(true);
        }
        return Task.FromResult(false);
    }
}
