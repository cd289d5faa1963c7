using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Registry.Domain;
using Slipway.Storage.Audit;
using Slipway.Storage.Rows;

namespace Slipway.Storage.Registry;

internal sealed partial class EfRegistryStore
{
    /// <summary>
    /// Appends the audit event of a registry change and, when <paramref name="action"/> is a webhook event, one
    /// pending delivery per active subscription to it (an outbox: the dispatcher sends them after the commit).
    /// </summary>
    private static async Task AppendEventAsync(SlipwayDbContext db, AuditContext audit, string action, string resource,
        string? modelName, long? version, object? before, object? after, long now, CancellationToken ct)
    {
        var beforeJson = AuditLog.Serialize(before);
        var afterJson = AuditLog.Serialize(after);
        AuditLog.AppendJson(db, audit, action, resource, beforeJson, afterJson, now);
        if (!RegistryActions.WebhookEvents.Contains(action))
            return;
        var candidates = await db.Webhooks.Where(w => w.Active && (w.ModelName == null || w.ModelName == modelName)).ToListAsync(ct);
        string? payload = null;
        foreach (var webhook in candidates)
        {
            var events = RegistryRowMapping.ReadList<string>(webhook.Events);
            if (!events.Contains(action) && !events.Contains("*"))
                continue;
            payload ??= Payload(audit, action, resource, modelName, version, beforeJson, afterJson, now);
            db.WebhookDeliveries.Add(new WebhookDeliveryRow
            {
                WebhookId = webhook.Id,
                Event = action,
                Payload = payload,
                Status = DeliveryStatus.Pending,
                Attempts = 0,
                CreatedTime = now,
                NextAttemptTime = now,
            });
        }
    }

    /// <summary>The JSON body POSTed to subscribers; before and after are embedded as objects, not strings.</summary>
    private static string Payload(AuditContext audit, string action, string resource, string? modelName, long? version,
        string? before, string? after, long now)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("event", action);
            writer.WriteNumber("timestamp", now);
            writer.WriteString("actor", audit.Actor);
            writer.WriteString("request_id", audit.RequestId);
            writer.WriteString("resource", resource);
            writer.WriteString("model_name", modelName);
            if (version is { } v)
                writer.WriteNumber("version", v);
            WriteRawOrNull(writer, "before", before);
            WriteRawOrNull(writer, "after", after);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteRawOrNull(Utf8JsonWriter writer, string name, string? json)
    {
        writer.WritePropertyName(name);
        if (json is null)
            writer.WriteNullValue();
        else
            writer.WriteRawValue(json, skipInputValidation: true);
    }
}
