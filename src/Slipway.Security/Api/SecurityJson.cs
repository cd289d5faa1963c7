using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Slipway.Core.Security;

namespace Slipway.Security.Api;

/// <summary>
/// Writes users, tokens and grants for the admin REST API (snake_case, unset fields left out) and in MLflow's auth
/// API shapes. A password hash or token hash is never written: the writers pick their fields one by one.
/// </summary>
internal static class SecurityJson
{
    public static void WriteUser(Utf8JsonWriter w, SlipwayUser user)
    {
        w.WriteStartObject();
        w.WriteString("name", user.Name);
        w.WriteBoolean("admin", user.IsAdmin);
        WriteStrings(w, "roles", user.Roles);
        w.WriteNumber("creation_time", user.CreationTime);
        w.WriteNumber("last_update_time", user.LastUpdateTime);
        w.WriteEndObject();
    }

    public static void WriteToken(Utf8JsonWriter w, AccessToken token)
    {
        w.WriteStartObject();
        w.WriteString("id", token.Id);
        w.WriteString("name", token.Name);
        w.WriteString("kind", token.Kind == TokenKind.Endpoint ? "endpoint" : "personal");
        w.WriteString("subject", token.Subject);
        w.WriteString("prefix", token.Prefix);
        w.WriteNumber("creation_time", token.CreationTime);
        WriteOptional(w, "expiry_time", token.ExpiryTime);
        WriteOptional(w, "revoked_time", token.RevokedTime);
        WriteOptional(w, "last_used_time", token.LastUsedTime);
        w.WriteString("created_by", token.CreatedBy);
        w.WriteEndObject();
    }

    public static void WriteGrant(Utf8JsonWriter w, PermissionGrant grant)
    {
        w.WriteStartObject();
        w.WriteString("resource_type", ResourceKinds.Format(grant.Kind));
        w.WriteString("resource", grant.Key);
        w.WriteString("user", grant.User);
        w.WriteString("permission", PermissionLevels.Format(grant.Level));
        w.WriteEndObject();
    }

    /// <summary>MLflow's user: <c>id</c>, <c>username</c>, <c>is_admin</c> and the user's experiment and model grants.</summary>
    public static void WriteMlflowUser(Utf8JsonWriter w, SlipwayUser user, IReadOnlyList<PermissionGrant> grants)
    {
        w.WriteStartObject();
        w.WriteNumber("id", MlflowUserId(user.Name));
        w.WriteString("username", user.Name);
        w.WriteBoolean("is_admin", user.IsAdmin);
        w.WriteStartArray("experiment_permissions");
        foreach (var grant in grants.Where(g => g.Kind == ResourceKind.Experiment))
            WriteMlflowPermission(w, grant);
        w.WriteEndArray();
        w.WriteStartArray("registered_model_permissions");
        foreach (var grant in grants.Where(g => g.Kind == ResourceKind.Model))
            WriteMlflowPermission(w, grant);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>MLflow's <c>{"experiment_id"|"name","user_id","permission"}</c>.</summary>
    public static void WriteMlflowPermission(Utf8JsonWriter w, PermissionGrant grant)
    {
        w.WriteStartObject();
        w.WriteString(grant.Kind == ResourceKind.Experiment ? "experiment_id" : "name", grant.Key);
        w.WriteNumber("user_id", MlflowUserId(grant.User));
        w.WriteString("permission", PermissionLevels.Format(grant.Level));
        w.WriteEndObject();
    }

    /// <summary>
    /// MLflow numbers its users; Slipway keys them by name. The id is a stable number derived from the name (53 bits,
    /// exact in JavaScript), so the same user always shows the same id and grants can be matched to their user.
    /// </summary>
    public static long MlflowUserId(string name) =>
        (long)(BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0) & ((1UL << 53) - 1));

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
            w.WriteStringValue(value);
        w.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
            w.WriteNumber(name, v);
    }
}
