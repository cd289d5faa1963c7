using System.Collections.Concurrent;
using System.Net;

namespace Slipway.Security.Credentials;

/// <summary>
/// Counts failed sign-ins per user name and per client address in a fixed window. Past the limit, that name (or
/// address) is refused until the window has passed, whatever the password: guessing is slowed to a few attempts a
/// minute, and the slow password hash cannot be used to load the CPU. A client address gets four times the per-user
/// allowance, since several people may share one (a NAT, a proxy). Refused attempts do not extend the block.
/// </summary>
public sealed class SignInThrottle(SecurityOptions options, TimeProvider time)
{
    private const int MaxTrackedKeys = 100_000;
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>How long until the user or the address may try again, or null when neither is blocked.</summary>
    public TimeSpan? RetryAfter(string? user, IPAddress? client)
    {
        var now = time.GetUtcNow();
        var wait = Remaining(UserKey(user), now);
        var clientWait = Remaining(ClientKey(client), now);
        if (wait is null)
            return clientWait;
        return clientWait is { } other && other > wait.Value ? other : wait;
    }

    /// <summary>Records a failure; returns true when it is the one that starts a block (worth an audit event).</summary>
    public bool RecordFailure(string? user, IPAddress? client)
    {
        var now = time.GetUtcNow();
        var blocked = Count(UserKey(user), options.MaxFailedSignIns, now);
        blocked |= Count(ClientKey(client), options.MaxFailedSignIns * 4, now);
        return blocked;
    }

    /// <summary>A successful sign-in clears the user's failures (not the address's: one good account must not
    /// reset the count of an address that is guessing others).</summary>
    public void RecordSuccess(string user) => _windows.TryRemove(UserKey(user) ?? "", out _);

    private TimeSpan? Remaining(string? key, DateTimeOffset now)
    {
        if (key is null || !_windows.TryGetValue(key, out var window))
            return null;
        lock (window)
            return window.BlockedUntil > now ? window.BlockedUntil - now : null;
    }

    private bool Count(string? key, int limit, DateTimeOffset now)
    {
        if (key is null)
            return false;
        if (_windows.Count >= MaxTrackedKeys)
            Prune(now);
        var window = _windows.GetOrAdd(key, _ => new Window { Start = now });
        lock (window)
        {
            if (window.BlockedUntil > now)
                return false;
            if (now - window.Start >= options.FailureWindow)
            {
                window.Start = now;
                window.Failures = 0;
            }
            window.Failures++;
            if (window.Failures < limit)
                return false;
            window.BlockedUntil = now + options.FailureWindow;
            window.Failures = 0;
            window.Start = window.BlockedUntil;
            return true;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, window) in _windows)
        {
            lock (window)
            {
                if (window.BlockedUntil <= now && now - window.Start >= options.FailureWindow)
                    _windows.TryRemove(key, out _);
            }
        }
    }

    private static string? UserKey(string? user) => string.IsNullOrEmpty(user) ? null : "user:" + user;

    private static string? ClientKey(IPAddress? client) => client is null ? null : "client:" + client;

    private sealed class Window
    {
        public DateTimeOffset Start;
        public int Failures;
        public DateTimeOffset BlockedUntil;
    }
}
