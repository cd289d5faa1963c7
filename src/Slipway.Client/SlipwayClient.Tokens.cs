using Slipway.Client.Protocol;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    private const string TokensPath = AdminPrefix + "tokens";
    private const string PermissionsPath = AdminPrefix + "permissions";

    /// <summary>
    /// Creates an access token (<c>POST /api/2.0/slipway/tokens</c>): by default a personal token of the caller;
    /// with <paramref name="user"/> one of another user (administrators only); with <paramref name="endpoint"/> an
    /// endpoint token (MANAGE on that endpoint).
    /// </summary>
    /// <param name="name">A name for people, e.g. where the token is used.</param>
    /// <param name="expiresInDays">Its lifetime in days; null for the server's default.</param>
    /// <param name="user">Create it for this user instead of the caller.</param>
    /// <param name="endpoint">Create an endpoint token for this serving endpoint.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>The token and its secret, which the server does not show again.</returns>
    public async Task<CreatedAccessToken> CreateTokenAsync(
        string name, int? expiresInDays = null, string? user = null, string? endpoint = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var request = new CreateTokenRequest(name, expiresInDays, NullIfEmpty(user), NullIfEmpty(endpoint));
        var response = await SendJsonAsync(HttpMethod.Post, TokensPath, request, SlipwayJsonContext.Default.CreateTokenRequest, SlipwayJsonContext.Default.CreateTokenResponse, ct).ConfigureAwait(false);
        return new CreatedAccessToken(response.Token ?? throw MissingField("token"), response.Secret ?? throw MissingField("secret"));
    }

    /// <summary>
    /// Lists tokens, revoked ones included (<c>GET /api/2.0/slipway/tokens</c>): the caller's own by default, another
    /// user's (administrators), or an endpoint's (MANAGE on it). Secrets are never listed.
    /// </summary>
    public async Task<IReadOnlyList<AccessTokenInfo>> ListTokensAsync(string? user = null, string? endpoint = null, CancellationToken ct = default)
    {
        var query = new KeyValuePair<string, string?>[] { new("user", NullIfEmpty(user)), new("endpoint", NullIfEmpty(endpoint)) };
        var response = await GetJsonAsync(TokensPath, query, SlipwayJsonContext.Default.TokensResponse, ct).ConfigureAwait(false);
        return response.Tokens ?? [];
    }

    /// <summary>Revokes a token at once (<c>DELETE /api/2.0/slipway/tokens/{id}</c>; its owner, an administrator, or MANAGE on its endpoint).</summary>
    /// <returns>The token, with its revocation time.</returns>
    public async Task<AccessTokenInfo> RevokeTokenAsync(string id, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var response = await SendJsonAsync(
            HttpMethod.Delete, TokensPath + "/" + Uri.EscapeDataString(id), new EmptyResponse(),
            SlipwayJsonContext.Default.EmptyResponse, SlipwayJsonContext.Default.TokenResponse, ct).ConfigureAwait(false);
        return response.Token ?? throw MissingField("token");
    }

    /// <summary>Grants a user a permission on a resource, replacing any earlier grant (<c>PUT /api/2.0/slipway/permissions</c>; MANAGE on the resource).</summary>
    /// <param name="resourceType">One of <see cref="ResourceTypes"/>.</param>
    /// <param name="resource">The experiment id, or the model, endpoint, monitor or pipeline name.</param>
    /// <param name="user">The user to grant it to.</param>
    /// <param name="permission">One of <see cref="PermissionNames"/>; <c>NO_PERMISSIONS</c> denies access even where the default would allow it.</param>
    /// <param name="ct">Cancels the request.</param>
    public async Task<ResourcePermission> SetPermissionAsync(string resourceType, string resource, string user, string permission, CancellationToken ct = default)
    {
        var request = new SetPermissionRequest(resourceType, resource, user, permission);
        var response = await SendJsonAsync(HttpMethod.Put, PermissionsPath, request, SlipwayJsonContext.Default.SetPermissionRequest, SlipwayJsonContext.Default.PermissionResponse, ct).ConfigureAwait(false);
        return response.Permission ?? throw MissingField("permission");
    }

    /// <summary>Lists grants, each filter null for any (<c>GET /api/2.0/slipway/permissions</c>; administrators, MANAGE on the resource, or the user's own).</summary>
    public async Task<IReadOnlyList<ResourcePermission>> ListPermissionsAsync(
        string? resourceType = null, string? resource = null, string? user = null, CancellationToken ct = default)
    {
        var query = new KeyValuePair<string, string?>[]
        {
            new("resource_type", NullIfEmpty(resourceType)), new("resource", NullIfEmpty(resource)), new("user", NullIfEmpty(user)),
        };
        var response = await GetJsonAsync(PermissionsPath, query, SlipwayJsonContext.Default.PermissionsResponse, ct).ConfigureAwait(false);
        return response.Permissions ?? [];
    }

    /// <summary>Removes a user's grant on a resource, so the server's default applies again (<c>DELETE /api/2.0/slipway/permissions</c>).</summary>
    public async Task DeletePermissionAsync(string resourceType, string resource, string user, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(BaseAddress, PermissionsPath))
        {
            Content = JsonBody(new DeletePermissionRequest(resourceType, resource, user), SlipwayJsonContext.Default.DeletePermissionRequest),
        };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
    }
}
