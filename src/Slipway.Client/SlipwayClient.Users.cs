using Slipway.Client.Protocol;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    private const string UsersPath = AdminPrefix + "users";

    /// <summary>Creates a user (<c>POST /api/2.0/slipway/users</c>; administrators only).</summary>
    /// <param name="name">The user name.</param>
    /// <param name="password">The first password; null for a user who signs in only with tokens or single sign-on.</param>
    /// <param name="admin">Whether the user is an administrator.</param>
    /// <param name="roles">Other roles, such as <c>approver</c>; null for none.</param>
    /// <param name="ct">Cancels the request.</param>
    public async Task<UserAccount> CreateUserAsync(
        string name, string? password, bool admin = false, IEnumerable<string>? roles = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var request = new CreateUserRequest(name, NullIfEmpty(password), admin, roles?.ToList());
        var response = await SendJsonAsync(HttpMethod.Post, UsersPath, request, SlipwayJsonContext.Default.CreateUserRequest, SlipwayJsonContext.Default.UserResponse, ct).ConfigureAwait(false);
        return response.User ?? throw MissingField("user");
    }

    /// <summary>Lists the users (<c>GET /api/2.0/slipway/users</c>; administrators only).</summary>
    public async Task<IReadOnlyList<UserAccount>> ListUsersAsync(CancellationToken ct = default)
    {
        var response = await GetJsonAsync(UsersPath, [], SlipwayJsonContext.Default.UsersResponse, ct).ConfigureAwait(false);
        return response.Users ?? [];
    }

    /// <summary>Reads a user (<c>GET /api/2.0/slipway/users/{name}</c>; administrators, or the user themself).</summary>
    public async Task<UserAccount> GetUserAsync(string name, CancellationToken ct = default)
    {
        var response = await GetJsonAsync(UserPath(name), [], SlipwayJsonContext.Default.UserResponse, ct).ConfigureAwait(false);
        return response.User ?? throw MissingField("user");
    }

    /// <summary>
    /// Changes a user (<c>PATCH /api/2.0/slipway/users/{name}</c>). Administrators may change anything; users may change
    /// their own password by giving <paramref name="currentPassword"/>. Null arguments leave a field as it is.
    /// </summary>
    /// <param name="name">The user to change.</param>
    /// <param name="password">The new password.</param>
    /// <param name="currentPassword">The current password, needed when users change their own password.</param>
    /// <param name="admin">Make the user an administrator, or stop them being one.</param>
    /// <param name="roles">The user's new roles (replacing the old ones).</param>
    /// <param name="ct">Cancels the request.</param>
    public async Task<UserAccount> UpdateUserAsync(
        string name, string? password = null, string? currentPassword = null, bool? admin = null, IEnumerable<string>? roles = null,
        CancellationToken ct = default)
    {
        var request = new UpdateUserRequest(NullIfEmpty(password), NullIfEmpty(currentPassword), admin, roles?.ToList());
        var response = await SendJsonAsync(HttpMethod.Patch, UserPath(name), request, SlipwayJsonContext.Default.UpdateUserRequest, SlipwayJsonContext.Default.UserResponse, ct).ConfigureAwait(false);
        return response.User ?? throw MissingField("user");
    }

    /// <summary>Deletes a user, their personal tokens and their grants (<c>DELETE /api/2.0/slipway/users/{name}</c>; administrators only; never the last administrator).</summary>
    public Task DeleteUserAsync(string name, CancellationToken ct = default) =>
        DeleteAsync(UserPath(name), ct);

    /// <summary>
    /// Who the server takes this client to be (<c>GET /api/2.0/slipway/whoami</c>): 401 when not signed in; no user
    /// and <see cref="AuthMethods.None"/> when the server runs with authentication off.
    /// </summary>
    public async Task<SignedInUser> WhoAmIAsync(CancellationToken ct = default)
    {
        var response = await GetJsonAsync(AdminPrefix + "whoami", [], SlipwayJsonContext.Default.WhoAmIResponse, ct).ConfigureAwait(false);
        return new SignedInUser(response.User, response.AuthMethod ?? throw MissingField("auth_method"));
    }

    private static string UserPath(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return UsersPath + "/" + Uri.EscapeDataString(name);
    }
}
