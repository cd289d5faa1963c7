using System.Security.Claims;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Security.Credentials;

namespace Slipway.Security.Accounts;

/// <summary>A token as created: the stored record and its secret, which exists only in this answer.</summary>
public sealed record IssuedToken(AccessToken Token, string Secret);

// Access tokens: personal ones (acting as their user) and endpoint ones (opening one endpoint's inference routes).
public sealed partial class AccountService
{
    /// <summary>
    /// Issues a token. Without <paramref name="forUser"/> or <paramref name="forEndpoint"/> it is the caller's own;
    /// <paramref name="forUser"/> names another user (administrators only); <paramref name="forEndpoint"/> makes an
    /// endpoint token (MANAGE on that endpoint; from then on the endpoint accepts only its own tokens).
    /// </summary>
    public async Task<IssuedToken> CreateTokenAsync(
        ClaimsPrincipal caller, string? name, int? expiresInDays, string? forUser, string? forEndpoint, AuditContext audit, CancellationToken ct)
    {
        var tokenName = AccountRules.TokenName(name);
        if (!string.IsNullOrEmpty(forUser) && !string.IsNullOrEmpty(forEndpoint))
            throw SlipwayException.InvalidParameter("A token is for a user or for an endpoint, not both.");
        var lifetime = Lifetime(expiresInDays);
        TokenKind kind;
        string subject;
        if (!string.IsNullOrEmpty(forEndpoint))
        {
            await access.DemandAsync(caller, new ResourceRef(ResourceKind.Endpoint, forEndpoint), PermissionLevel.Manage, ct);
            (kind, subject) = (TokenKind.Endpoint, forEndpoint);
        }
        else
        {
            subject = string.IsNullOrEmpty(forUser) ? SignedInUser(caller) : forUser;
            if (subject != caller.UserName() && !IsAdmin(caller))
                throw Denied("only administrators may create tokens for other users");
            _ = await store.FindUserAsync(subject, ct) ?? throw UnknownUser(subject);
            kind = TokenKind.Personal;
        }
        var (secret, hash, prefix) = TokenCodec.NewSecret();
        var now = Now;
        var expiry = now + (long)lifetime.TotalMilliseconds;
        // A token minted while signed in with a token never outlives it: revoking a leaked token must not leave the
        // thief a longer-lived one made with it.
        if (caller.FindFirst(SlipwayClaims.TokenId)?.Value is { } parentId && await store.GetTokenAsync(parentId, ct) is { ExpiryTime: { } parentExpiry })
            expiry = Math.Min(expiry, parentExpiry);
        var token = new AccessToken(TokenCodec.NewId(), kind, subject, tokenName, prefix, hash, now,
            expiry, null, null, audit.Actor);
        var stored = await store.CreateTokenAsync(token, audit, ct);
        // An endpoint's first token makes it token-only; the cache must forget that it was open.
        cache.TokenChanged(hash);
        return new IssuedToken(stored, secret);
    }

    /// <summary>Tokens of one user (default: the caller; others need an administrator) or of one endpoint (MANAGE on it),
    /// newest first, revoked and expired ones included.</summary>
    public async Task<IReadOnlyList<AccessToken>> ListTokensAsync(ClaimsPrincipal caller, string? user, string? endpoint, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(endpoint))
            throw SlipwayException.InvalidParameter("List the tokens of a user or of an endpoint, not both.");
        if (!string.IsNullOrEmpty(endpoint))
        {
            await access.DemandAsync(caller, new ResourceRef(ResourceKind.Endpoint, endpoint), PermissionLevel.Manage, ct);
            return await store.ListTokensAsync(TokenKind.Endpoint, endpoint, ct);
        }
        if (string.IsNullOrEmpty(user) && caller.UserName() is null && IsAdmin(caller))
            return await store.ListTokensAsync(null, null, ct);
        var subject = string.IsNullOrEmpty(user) ? SignedInUser(caller) : user;
        if (subject != caller.UserName() && !IsAdmin(caller))
            throw Denied("only administrators may list other users' tokens");
        return await store.ListTokensAsync(TokenKind.Personal, subject, ct);
    }

    /// <summary>Revokes a token: its owner, an administrator, or (endpoint tokens) a user with MANAGE on the endpoint.</summary>
    public async Task<AccessToken> RevokeTokenAsync(ClaimsPrincipal caller, string id, AuditContext audit, CancellationToken ct)
    {
        var token = await store.GetTokenAsync(id, ct) ?? throw SlipwayException.NotFound($"Token '{id}' does not exist.");
        if (token.Kind == TokenKind.Endpoint)
            await access.DemandAsync(caller, new ResourceRef(ResourceKind.Endpoint, token.Subject), PermissionLevel.Manage, ct);
        else if (token.Subject != caller.UserName() && !IsAdmin(caller))
            throw Denied("only the token's owner or an administrator may revoke it");
        var revoked = await store.RevokeTokenAsync(id, Now, audit, ct);
        cache.TokenChanged(token.Hash);
        return revoked;
    }

    private TimeSpan Lifetime(int? expiresInDays)
    {
        if (expiresInDays is null)
            return options.DefaultTokenLifetime;
        var max = (int)options.MaxTokenLifetime.TotalDays;
        if (expiresInDays < 1 || expiresInDays > max)
            throw SlipwayException.InvalidParameter($"'expires_in_days' must be between 1 and {max} (got {expiresInDays}).");
        return TimeSpan.FromDays(expiresInDays.Value);
    }

    private static string SignedInUser(ClaimsPrincipal caller) =>
        caller.UserName() ?? throw new SlipwayException(ErrorCode.Unauthenticated, "Sign in as a user to manage your own tokens.");
}
