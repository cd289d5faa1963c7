using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Slipway.Core.Audit;
using Slipway.Core.Security;
using Slipway.Security.Access;

namespace Slipway.Security.Credentials;

/// <summary>
/// Checks passwords and tokens. Passwords: throttled (<see cref="SignInThrottle"/>), verified with the slow hash, and
/// then remembered for <see cref="SecurityOptions.CredentialCacheLifetime"/> under a keyed hash (HMAC with a key that
/// lives only in this process), so an HTTP Basic client pays the hash once, not per request; a changed password
/// no longer matches the remembered stored hash and is verified afresh. Tokens: looked up by their SHA-256.
/// Sign-ins are audited when credentials are first verified (not on every request), failures every time until the
/// throttle blocks, and the block once. Secrets never reach a log or an audit event.
/// </summary>
public sealed class CredentialVerifier(
    SecurityDirectory directory,
    SignInThrottle throttle,
    SecurityOptions options,
    TimeProvider time) : ICredentialVerifier
{
    private const string Generic = "Invalid user name or password.";
    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    // Verified for unknown users, at the configured cost, so that their answer takes as long as a known user's.
    private readonly string _dummyHash = new PasswordHasher(options).Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
    private readonly ConcurrentDictionary<string, Verified> _verified = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lastTouched = new(StringComparer.Ordinal);

    public async Task<SignInOutcome> VerifyPasswordAsync(string user, string password, IPAddress? client, string method, CancellationToken ct)
    {
        var key = CacheKey(user, password);
        var found = await directory.FindUserAsync(user, ct);
        var now = time.GetUtcNow();
        // A password verified a moment ago costs nothing, so it is not throttled either: a busy HTTP Basic client
        // behind the same address as a guesser keeps working.
        if (found is { PasswordHash: { } stored } && _verified.TryGetValue(key, out var remembered)
            && remembered.Expires > now && remembered.StoredHash == stored)
            return new SignInOutcome(SlipwayPrincipals.ForUser(found, method), null);
        if (!throttle.TryBegin(user, client, out var wait, out var blockStarted))
            return new SignInOutcome(null, "Too many failed sign-ins; try again later.", wait);

        // Unknown users still cost one hash, so timing does not tell which names exist.
        var matches = PasswordHasher.Verify(password, found?.PasswordHash ?? _dummyHash) && found?.PasswordHash is not null;
        if (!matches)
        {
            await FailAsync(user, client, method, blockStarted, ct);
            return new SignInOutcome(null, Generic, throttle.RetryAfter(user, client));
        }
        throttle.Succeeded(user, client);
        if (options.CredentialCacheLifetime > TimeSpan.Zero)
        {
            if (_verified.Count > 50_000)
                _verified.Clear();
            _verified[key] = new Verified(found!.PasswordHash!, now + options.CredentialCacheLifetime);
        }
        await AuditAsync("auth.signin", "users/" + found!.Name, new { method, client = client?.ToString() }, found.Name, ct);
        return new SignInOutcome(SlipwayPrincipals.ForUser(found, method), null);
    }

    public async Task<SignInOutcome> VerifyTokenAsync(string secret, IPAddress? client, CancellationToken ct)
    {
        // A valid token is accepted whatever the throttle says: tokens cannot be guessed (256 bits), and a guesser
        // sharing an address (a proxy, a NAT) must not lock every CI job and replica out. Only failures are counted.
        var token = TokenCodec.LooksLikeToken(secret) ? await directory.FindTokenAsync(TokenCodec.HashOf(secret), ct) : null;
        var now = time.GetUtcNow();
        if (token is null || !token.IsActive(now.ToUnixTimeMilliseconds()))
        {
            if (!throttle.TryBegin(null, client, out var wait, out var blockStarted))
                return new SignInOutcome(null, "Too many failed sign-ins; try again later.", wait);
            await FailAsync(null, client, token is null ? "token" : "token (revoked or expired)", blockStarted, ct);
            return new SignInOutcome(null, token is null ? "Invalid access token." : "The access token is revoked or expired.");
        }
        await TouchAsync(token, now.ToUnixTimeMilliseconds(), ct);
        if (token.Kind == TokenKind.Endpoint)
            return new SignInOutcome(SlipwayPrincipals.ForEndpointToken(token), null);
        var owner = await directory.FindUserAsync(token.Subject, ct);
        if (owner is null)
            return new SignInOutcome(null, "The access token's user no longer exists.");
        return new SignInOutcome(SlipwayPrincipals.ForUser(owner, "token", token.Id), null);
    }

    private async Task FailAsync(string? user, IPAddress? client, string method, bool blocked, CancellationToken ct)
    {
        var detail = new { user, method, client = client?.ToString() };
        await AuditAsync("auth.signin_failed", (user is null ? "tokens" : "users/" + user), detail, AuditContext.Anonymous, ct);
        if (blocked)
            await AuditAsync("auth.throttled", (user is null ? "tokens" : "users/" + user), new { user, client = client?.ToString(), seconds = options.FailureWindow.TotalSeconds }, AuditContext.Anonymous, ct);
    }

    /// <summary>Records a token's use at most once a minute per token, so a busy client does not write on every request.</summary>
    private async Task TouchAsync(AccessToken token, long now, CancellationToken ct)
    {
        if (_lastTouched.TryGetValue(token.Id, out var last) && now - last < 60_000)
            return;
        _lastTouched[token.Id] = now;
        if (token.LastUsedTime is { } used && now - used < 60_000)
            return;
        await directory.Store.TouchTokenAsync(token.Id, now, ct);
        await AuditAsync("auth.signin", token.Kind == TokenKind.Endpoint ? "endpoints/" + token.Subject : "users/" + token.Subject,
            new { method = "token", token_id = token.Id }, token.Kind == TokenKind.Endpoint ? $"endpoint-token:{token.Subject}/{token.Name}" : token.Subject, ct);
    }

    private Task AuditAsync(string action, string resource, object detail, string actor, CancellationToken ct) =>
        directory.Store.AppendAuditAsync(action, resource, detail, new AuditContext(actor, null), ct);

    private string CacheKey(string user, string password) =>
        Convert.ToHexString(HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes(user + "\0" + password)));

    private sealed record Verified(string StoredHash, DateTimeOffset Expires);
}
