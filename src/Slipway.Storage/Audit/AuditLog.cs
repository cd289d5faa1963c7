using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Core.Audit;
using Slipway.Storage.Rows;

namespace Slipway.Storage.Audit;

/// <summary>
/// Appends audit events to the unit of work of the change they describe, so both commit (or roll back) together.
/// Before and after values are JSON objects with snake_case names and without null members.
/// </summary>
internal static class AuditLog
{
    // Dictionary keys (tag keys, for one) are data and keep their spelling; only property names are snake_cased.
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Adds one event to <paramref name="db"/>; it is written by the caller's <c>SaveChanges</c>.</summary>
    public static void Append(SlipwayDbContext db, AuditContext context, string action, string resource, object? before, object? after, long now) =>
        AppendJson(db, context, action, resource, Serialize(before), Serialize(after), now);

    /// <summary>As <see cref="Append"/>, with before and after already serialized by <see cref="Serialize"/>.</summary>
    public static void AppendJson(SlipwayDbContext db, AuditContext context, string action, string resource, string? before, string? after, long now) =>
        db.AuditEvents.Add(new AuditEventRow
        {
            Timestamp = now,
            Actor = context.Actor,
            Action = action,
            Resource = resource,
            Before = before,
            After = after,
            RequestId = context.RequestId,
        });

    public static string? Serialize(object? value) =>
        value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Json);
}
