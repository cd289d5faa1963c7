namespace Slipway.Client;

/// <summary>A user who can sign in to a Slipway server with auth on.</summary>
public sealed record UserAccount
{
    /// <summary>The user name (the HTTP Basic user, the audit actor).</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>Whether the user is an administrator (every permission, the admin API).</summary>
    public bool Admin { get; init; }

    /// <summary>Other roles, such as <c>approver</c>.</summary>
    public IReadOnlyList<string> Roles { get; init => field = value ?? []; } = [];

    /// <summary>Creation time, milliseconds since the Unix epoch.</summary>
    public long CreationTime { get; init; }

    /// <summary>Last change, milliseconds since the Unix epoch.</summary>
    public long LastUpdateTime { get; init; }
}

/// <summary>Who the server takes the caller to be, and how they signed in.</summary>
/// <param name="User">The signed-in user; null when the server runs with authentication off (<see cref="AuthMethods.None"/>).</param>
/// <param name="AuthMethod"><c>password</c>, <c>token</c>, <c>cookie</c>, <c>oidc</c> or <c>none</c> (see <see cref="AuthMethods"/>).</param>
public sealed record SignedInUser(UserAccount? User, string AuthMethod);

/// <summary>The ways a request can be signed in, as <c>whoami</c> names them.</summary>
public static class AuthMethods
{
    /// <summary>HTTP Basic with the user's password.</summary>
    public const string Password = "password";

    /// <summary>A personal access token (Bearer, or as the HTTP Basic password).</summary>
    public const string Token = "token";

    /// <summary>The web UI's session cookie.</summary>
    public const string Cookie = "cookie";

    /// <summary>A JWT from the configured OpenID Connect provider.</summary>
    public const string Oidc = "oidc";

    /// <summary>The server runs with authentication off: nobody is signed in and every request may do anything.</summary>
    public const string None = "none";
}

/// <summary>
/// An access token as the server lists it: never its secret, only its display <see cref="Prefix"/>. A personal token
/// acts as its user; an endpoint token opens one serving endpoint's inference routes.
/// </summary>
public sealed record AccessTokenInfo
{
    /// <summary>The token id (<c>tok_…</c>), used to revoke it.</summary>
    public string Id { get; init => field = value ?? ""; } = "";

    /// <summary>A name for people.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary><c>personal</c> or <c>endpoint</c> (see <see cref="TokenKinds"/>).</summary>
    public string Kind { get; init => field = value ?? ""; } = "";

    /// <summary>The user (personal token) or endpoint (endpoint token) it belongs to.</summary>
    public string Subject { get; init => field = value ?? ""; } = "";

    /// <summary>The secret's first characters, to tell tokens apart.</summary>
    public string Prefix { get; init => field = value ?? ""; } = "";

    /// <summary>Creation time, milliseconds since the Unix epoch.</summary>
    public long CreationTime { get; init; }

    /// <summary>When it stops working; null for never.</summary>
    public long? ExpiryTime { get; init; }

    /// <summary>When it was revoked; null while it is not.</summary>
    public long? RevokedTime { get; init; }

    /// <summary>When it was last used; null if never.</summary>
    public long? LastUsedTime { get; init; }

    /// <summary>Who created it.</summary>
    public string CreatedBy { get; init => field = value ?? ""; } = "";

    /// <summary>Whether the token works at <paramref name="nowMilliseconds"/>: not revoked and not expired.</summary>
    public bool IsActiveAt(long nowMilliseconds) => RevokedTime is null && (ExpiryTime is null || ExpiryTime > nowMilliseconds);
}

/// <summary>The kinds of access token.</summary>
public static class TokenKinds
{
    /// <summary>Acts as its user on every API.</summary>
    public const string Personal = "personal";

    /// <summary>Opens one serving endpoint's inference routes and nothing else.</summary>
    public const string Endpoint = "endpoint";
}

/// <summary>
/// A newly created token and its secret, which the server never shows again. <see cref="ToString"/> leaves the
/// secret out, so that logging this object does not leak it.
/// </summary>
/// <param name="Token">The token.</param>
/// <param name="Secret">The secret (<c>slw_…</c>) to send as <c>Authorization: Bearer</c> or <c>MLFLOW_TRACKING_TOKEN</c>.</param>
public sealed record CreatedAccessToken(AccessTokenInfo Token, string Secret)
{
    /// <inheritdoc />
    public override string ToString() => $"{nameof(CreatedAccessToken)} {{ Token = {Token}, Secret = (hidden) }}";
}

/// <summary>One user's permission on one resource.</summary>
/// <param name="ResourceType">The kind of resource (see <see cref="ResourceTypes"/>).</param>
/// <param name="Resource">The experiment id, or the model, endpoint, monitor or pipeline name.</param>
/// <param name="User">Who holds it.</param>
/// <param name="Permission"><c>READ</c>, <c>EDIT</c>, <c>MANAGE</c> or <c>NO_PERMISSIONS</c> (see <see cref="PermissionNames"/>).</param>
public sealed record ResourcePermission(string ResourceType, string Resource, string User, string Permission);

/// <summary>The kinds of resource that carry per-resource permissions, as named on the wire.</summary>
public static class ResourceTypes
{
    /// <summary>Experiments (by id), with their runs and artifacts.</summary>
    public const string Experiments = "experiments";

    /// <summary>Registered models (by name), with their versions.</summary>
    public const string Models = "models";

    /// <summary>Serving endpoints (by name).</summary>
    public const string Endpoints = "endpoints";

    /// <summary>Monitors (by name).</summary>
    public const string Monitors = "monitors";

    /// <summary>Pipelines (by name).</summary>
    public const string Pipelines = "pipelines";

    /// <summary>Every resource type.</summary>
    public static IReadOnlyList<string> All { get; } = [Experiments, Models, Endpoints, Monitors, Pipelines];
}

/// <summary>Permission levels; each includes the ones before it.</summary>
public static class PermissionNames
{
    /// <summary>An explicit denial, overriding the server's default permission.</summary>
    public const string None = "NO_PERMISSIONS";

    /// <summary>See the resource and everything under it.</summary>
    public const string Read = "READ";

    /// <summary>Change it.</summary>
    public const string Edit = "EDIT";

    /// <summary>Delete or rename it and decide who else may use it.</summary>
    public const string Manage = "MANAGE";

    /// <summary>Every level, lowest first.</summary>
    public static IReadOnlyList<string> All { get; } = [None, Read, Edit, Manage];
}
