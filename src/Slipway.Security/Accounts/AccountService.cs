using System.Security.Claims;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Security.Credentials;

namespace Slipway.Security.Accounts;

/// <summary>
/// Users, access tokens and permission grants as the admin REST API and the UI change them: validation, who may do
/// what (admins; a user on their own account; MANAGE on a resource for its grants and endpoint tokens), and cache
/// invalidation so that every change takes effect on the next request. Users are here; tokens and grants in the
/// partial files beside it. With access control off (<see cref="IAccessControl.Enabled"/> false) every caller is
/// treated as an administrator, as everywhere else.
/// </summary>
public sealed partial class AccountService(
    ISecurityStore store,
    ISecurityCache cache,
    IAccessControl access,
    PasswordHasher hasher,
    SecurityOptions options,
    TimeProvider time)
{
    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Creates a user; <paramref name="password"/> may be null for users who sign in only with tokens or SSO.</summary>
    public async Task<SlipwayUser> CreateUserAsync(string? name, string? password, bool admin, IReadOnlyList<string>? roles, AuditContext audit, CancellationToken ct)
    {
        var userName = AccountRules.UserName(name);
        var validRoles = AccountRules.Roles(roles ?? []);
        var hash = password is null ? null : HashNew(password);
        var now = Now;
        var user = await store.CreateUserAsync(new SlipwayUser(userName, hash, admin, validRoles, now, now), audit, ct);
        cache.UserChanged(userName);
        return user;
    }

    public async Task<SlipwayUser> GetUserAsync(ClaimsPrincipal caller, string name, CancellationToken ct)
    {
        if (!IsAdmin(caller) && caller.UserName() != name)
            throw Denied("only administrators may read other users");
        return await store.FindUserAsync(name, ct) ?? throw UnknownUser(name);
    }

    public Task<IReadOnlyList<SlipwayUser>> ListUsersAsync(CancellationToken ct) => store.ListUsersAsync(ct);

    /// <summary>Looks a user up without an access check, for callers that have already made theirs.</summary>
    public Task<SlipwayUser?> FindUserAsync(string name, CancellationToken ct) => store.FindUserAsync(name, ct);

    /// <summary>
    /// Changes a user. Only administrators change the admin flag and roles, or other users' passwords. A user changing
    /// their own password proves the current one: <see cref="UserChanges.CurrentPassword"/>, or
    /// <see cref="UserChanges.SignedInWithPassword"/> when this very request was signed in with it (MLflow's client
    /// sends no current password). The last administrator keeps the flag.
    /// </summary>
    public async Task<SlipwayUser> UpdateUserAsync(ClaimsPrincipal caller, string name, UserChanges changes, AuditContext audit, CancellationToken ct)
    {
        var self = caller.UserName() == name;
        var admin = IsAdmin(caller);
        if (!admin && (!self || changes.IsAdmin is not null || changes.Roles is not null))
            throw Denied(self ? "only administrators may change the admin flag or roles" : "only administrators may change other users");
        var current = await store.FindUserAsync(name, ct) ?? throw UnknownUser(name);
        string? hash = null;
        if (changes.Password is not null)
        {
            if (self && !changes.SignedInWithPassword && !PasswordHasher.Verify(changes.CurrentPassword ?? "", current.PasswordHash))
                throw Denied(changes.CurrentPassword is null
                    ? "changing your own password needs 'current_password'"
                    : "'current_password' is not your current password");
            hash = HashNew(changes.Password);
        }
        var roles = changes.Roles is null ? null : AccountRules.Roles(changes.Roles);
        if (changes.IsAdmin == false && current.IsAdmin)
            await EnsureAnotherAdminAsync(name, ct);
        if (hash is null && changes.IsAdmin is null && roles is null)
            return current;
        var updated = await store.UpdateUserAsync(name, new UserUpdate(hash, changes.IsAdmin, roles), Now, audit, ct);
        cache.UserChanged(name);
        return updated;
    }

    /// <summary>Deletes a user with their personal tokens and grants. Never yourself, never the last administrator.</summary>
    public async Task DeleteUserAsync(ClaimsPrincipal caller, string name, AuditContext audit, CancellationToken ct)
    {
        if (!IsAdmin(caller))
            throw Denied("only administrators may delete users");
        if (caller.UserName() == name)
            throw SlipwayException.InvalidParameter("You cannot delete yourself; ask another administrator.");
        var user = await store.FindUserAsync(name, ct) ?? throw UnknownUser(name);
        if (user.IsAdmin)
            await EnsureAnotherAdminAsync(name, ct);
        var tokens = await store.ListTokensAsync(TokenKind.Personal, name, ct);
        await store.DeleteUserAsync(name, Now, audit, ct);
        cache.UserChanged(name);
        foreach (var token in tokens)
            cache.TokenChanged(token.Hash);
        cache.GrantsChanged();
    }

    /// <summary>
    /// First-start bootstrap: creates <paramref name="name"/> as an administrator when no user exists yet, and says
    /// whether it did (false when users exist, or another replica created one at the same moment).
    /// </summary>
    public async Task<bool> EnsureAdminAsync(string name, string password, CancellationToken ct = default)
    {
        if (await store.CountUsersAsync(ct) > 0)
            return false;
        try
        {
            await CreateUserAsync(name, password, admin: true, roles: null, AuditContext.System, ct);
            return true;
        }
        catch (SlipwayException e) when (e.Code == ErrorCode.ResourceAlreadyExists)
        {
            return false;
        }
    }

    /// <summary>Whether the caller acts as an administrator: an admin, or anyone while access control is off.</summary>
    public bool IsAdmin(ClaimsPrincipal caller) => !access.Enabled || caller.IsAdmin();

    private string HashNew(string password) =>
        hasher.Check(password) is { } problem ? throw SlipwayException.InvalidParameter(problem) : hasher.Hash(password);

    private async Task EnsureAnotherAdminAsync(string name, CancellationToken ct)
    {
        var users = await store.ListUsersAsync(ct);
        if (!users.Any(u => u.IsAdmin && u.Name != name))
            throw SlipwayException.InvalidParameter($"'{name}' is the last administrator; make another user an administrator first.");
    }

    private static SlipwayException UnknownUser(string name) => SlipwayException.NotFound($"User '{name}' does not exist.");

    private static SlipwayException Denied(string why) => new(ErrorCode.PermissionDenied, "Permission denied: " + why + ".");
}

/// <summary>The changes a caller asks for; null leaves a field as it is.</summary>
/// <param name="SignedInWithPassword">The request itself was signed in with the user's password (HTTP Basic), which
/// proves it as well as <paramref name="CurrentPassword"/> does.</param>
public sealed record UserChanges(
    string? Password = null,
    string? CurrentPassword = null,
    bool? IsAdmin = null,
    IReadOnlyList<string>? Roles = null,
    bool SignedInWithPassword = false);
