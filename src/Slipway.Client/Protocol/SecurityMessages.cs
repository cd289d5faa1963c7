namespace Slipway.Client.Protocol;

// Request and response bodies of Slipway's admin API (/api/2.0/slipway/…). Requests that carry a password leave it
// out of ToString, so that a request logged by mistake does not leak it.

internal sealed record CreateUserRequest(string Name, string? Password, bool? Admin, IReadOnlyList<string>? Roles)
{
    public override string ToString() => $"{nameof(CreateUserRequest)} {{ Name = {Name}, Admin = {Admin} }}";
}

internal sealed record UpdateUserRequest(string? Password, string? CurrentPassword, bool? Admin, IReadOnlyList<string>? Roles)
{
    public override string ToString() => $"{nameof(UpdateUserRequest)} {{ Admin = {Admin}, PasswordChanged = {Password is not null} }}";
}

internal sealed record UserResponse(UserAccount? User);

internal sealed record UsersResponse(List<UserAccount>? Users);

internal sealed record WhoAmIResponse(UserAccount? User, string? AuthMethod);

internal sealed record CreateTokenRequest(string Name, int? ExpiresInDays, string? User, string? Endpoint);

internal sealed record CreateTokenResponse(AccessTokenInfo? Token, string? Secret)
{
    public override string ToString() => $"{nameof(CreateTokenResponse)} {{ Token = {Token} }}";
}

internal sealed record TokenResponse(AccessTokenInfo? Token);

internal sealed record TokensResponse(List<AccessTokenInfo>? Tokens);

internal sealed record SetPermissionRequest(string ResourceType, string Resource, string User, string Permission);

internal sealed record DeletePermissionRequest(string ResourceType, string Resource, string User);

internal sealed record PermissionResponse(ResourcePermission? Permission);

internal sealed record PermissionsResponse(List<ResourcePermission>? Permissions);
