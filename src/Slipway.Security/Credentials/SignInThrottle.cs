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

    /// <summary>
    /// Counts an attempt as a failure before its credentials are checked, so that guesses sent in parallel while
    /// earlier ones are still being hashed cannot slip past the limit; <see cref="Succeeded"/> takes it back.
    /// Returns false (and counts nothing) when the user or the address is blocked; <paramref name="blockStarted"/>
    /// tells whether this attempt reached the limit (worth an audit event if it fails).
    /// </summary>
    public bool TryBegin(string? user, IPAddress? client, out TimeSpan? retryAfter, out bool blockStarted)
    {
        blockStarted = false;
        retryAfter = RetryAfter(user, client);
        if (retryAfter is not null)
            return false;
        var now = time.GetUtcNow();
        blockStarted = Count(UserKey(user), options.MaxFailedSignIns, now);
        blockStarted |= Count(ClientKey(client), options.MaxFailedSignIns * 4, now);
        return true;
    }

    /// <summary>Records a failure without an attempt in flight (tests, and callers that verify nothing slow).</summary>
    public bool RecordFailure(string? user, IPAddress? client) => TryBegin(user, client, out _, out var started) && started;

    /// <summary>
    /// The attempt begun by <see cref="TryBegin"/> succeeded: the user's failures are cleared (and a block its own
    /// attempt started is lifted), and the address gets its attempt back (one good account must not reset the count of
    /// an address that is guessing others).
    /// </summary>
    public void Succeeded(string user, IPAddress? client)
    {
        _windows.TryRemove(UserKey(user) ?? "", out _);
        if (ClientKey(client) is { } key && _windows.TryGetValue(key, out var window))
        {
            lock (window)
            {
                if (window.Failures > 0)
                    window.Failures--;
            }
        }
    }

    /// <summary>A successful sign-in clears the user's failures.</summary>
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
