using System.Text.Json;
using Slipway.Core.Security;

namespace Slipway.Storage.Security;

/// <summary>Maps the security rows to the domain records of <see cref="ISecurityStore"/> and back.</summary>
internal static class SecurityRowMapping
{
    public const string PersonalKind = "personal";
    public const string EndpointKind = "endpoint";

    public static SlipwayUser ToUser(UserRow row) =>
        new(row.Name, row.PasswordHash, row.IsAdmin, ParseRoles(row.Roles), row.CreationTime, row.LastUpdateTime);

    public static UserRow ToRow(SlipwayUser user) => new()
    {
        Name = user.Name,
        PasswordHash = user.PasswordHash,
        IsAdmin = user.IsAdmin,
        Roles = FormatRoles(user.Roles),
        CreationTime = user.CreationTime,
        LastUpdateTime = user.LastUpdateTime,
    };

    public static string FormatRoles(IReadOnlyList<string> roles) =>
        JsonSerializer.Serialize(roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());

    public static IReadOnlyList<string> ParseRoles(string json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];

    public static AccessToken ToToken(AccessTokenRow row) =>
        new(row.Id, ParseKind(row.Kind), row.Subject, row.Name, row.Prefix, row.Hash, row.CreationTime, row.ExpiryTime,
            row.RevokedTime, row.LastUsedTime, row.CreatedBy);

    public static AccessTokenRow ToRow(AccessToken token) => new()
    {
        Id = token.Id,
        Kind = FormatKind(token.Kind),
        Subject = token.Subject,
        Name = token.Name,
        Prefix = token.Prefix,
        Hash = token.Hash,
        CreationTime = token.CreationTime,
        ExpiryTime = token.ExpiryTime,
        RevokedTime = token.RevokedTime,
        LastUsedTime = token.LastUsedTime,
        CreatedBy = token.CreatedBy,
    };

    public static string FormatKind(TokenKind kind) => kind == TokenKind.Endpoint ? EndpointKind : PersonalKind;

    public static TokenKind ParseKind(string kind) => kind == EndpointKind ? TokenKind.Endpoint : TokenKind.Personal;

    public static PermissionGrant ToGrant(PermissionRow row)
    {
        ResourceKinds.TryParse(row.ResourceKind, out var kind);
        PermissionLevels.TryParse(row.Level, out var level);
        return new PermissionGrant(kind, row.ResourceKey, row.UserName, level);
    }

    public static PermissionRow ToRow(PermissionGrant grant) => new()
    {
        ResourceKind = ResourceKinds.Format(grant.Kind),
        ResourceKey = grant.Key,
        UserName = grant.User,
        Level = PermissionLevels.Format(grant.Level),
    };
}
