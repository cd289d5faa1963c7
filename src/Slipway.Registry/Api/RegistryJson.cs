using System.Globalization;
using System.Text.Json;
using Slipway.Core.Audit;
using Slipway.Registry.Domain;
using Slipway.Tracking.Api;

namespace Slipway.Registry.Api;

/// <summary>
/// Registry objects in MLflow's JSON mapping (snake_case, version numbers as strings, unset fields and empty lists
/// left out) and the Slipway governance objects in the same style.
/// </summary>
public static class RegistryJson
{
    public static void WriteRegisteredModel(Utf8JsonWriter w, RegisteredModel model)
    {
        w.WriteStartObject();
        w.WriteString("name", model.Name);
        w.WriteNumber("creation_timestamp", model.CreationTimestamp);
        w.WriteNumber("last_updated_timestamp", model.LastUpdatedTimestamp);
        if (!string.IsNullOrEmpty(model.Description))
            w.WriteString("description", model.Description);
        if (model.LatestVersions.Count > 0)
        {
            w.WriteStartArray("latest_versions");
            foreach (var version in model.LatestVersions)
                WriteModelVersion(w, version);
            w.WriteEndArray();
        }
        MlflowJson.WriteTags(w, "tags", model.Tags);
        if (model.Aliases.Count > 0)
        {
            w.WriteStartArray("aliases");
            foreach (var alias in model.Aliases)
            {
                w.WriteStartObject();
                w.WriteString("alias", alias.Alias);
                w.WriteString("version", Version(alias.Version));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    public static void WriteModelVersion(Utf8JsonWriter w, ModelVersion version)
    {
        w.WriteStartObject();
        w.WriteString("name", version.Name);
        w.WriteString("version", Version(version.Version));
        w.WriteNumber("creation_timestamp", version.CreationTimestamp);
        w.WriteNumber("last_updated_timestamp", version.LastUpdatedTimestamp);
        if (!string.IsNullOrEmpty(version.UserId))
            w.WriteString("user_id", version.UserId);
        w.WriteString("current_stage", version.CurrentStage);
        w.WriteString("description", version.Description);
        w.WriteString("source", version.Source);
        if (!string.IsNullOrEmpty(version.RunId))
            w.WriteString("run_id", version.RunId);
        w.WriteString("status", version.Status);
        MlflowJson.WriteTags(w, "tags", version.Tags);
        w.WriteString("run_link", version.RunLink);
        if (version.Aliases.Count > 0)
        {
            w.WriteStartArray("aliases");
            foreach (var alias in version.Aliases)
                w.WriteStringValue(alias);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    public static void WritePolicy(Utf8JsonWriter w, ApprovalPolicy policy)
    {
        w.WriteStartObject();
        WriteStrings(w, "protected_aliases", policy.ProtectedAliases);
        WriteStrings(w, "protected_stages", policy.ProtectedStages);
        w.WriteNumber("required_approvals", policy.RequiredApprovals);
        w.WriteString("approver_role", policy.ApproverRole);
        WriteStrings(w, "metric_gates", policy.MetricGates);
        WriteStrings(w, "required_tags", policy.RequiredTags);
        w.WriteBoolean("require_model_card", policy.RequireModelCard);
        w.WriteEndObject();
    }

    public static void WriteApprovalRequest(Utf8JsonWriter w, ApprovalRequest request)
    {
        w.WriteStartObject();
        w.WriteNumber("id", request.Id);
        w.WriteString("model_name", request.ModelName);
        w.WriteString("version", Version(request.Version));
        w.WriteStartObject("target");
        w.WriteString(request.Target.Kind == ApprovalTargetKind.Alias ? "alias" : "stage", request.Target.Value);
        w.WriteEndObject();
        w.WriteString("status", request.Status);
        w.WriteString("requester", request.Requester);
        if (!string.IsNullOrEmpty(request.Comment))
            w.WriteString("comment", request.Comment);
        w.WriteNumber("required_approvals", request.RequiredApprovals);
        w.WriteNumber("created_timestamp", request.CreatedTimestamp);
        if (request.DecidedTimestamp is { } decided)
            w.WriteNumber("decided_timestamp", decided);
        w.WriteStartArray("gates");
        foreach (var gate in request.Gates)
        {
            w.WriteStartObject();
            w.WriteString("condition", gate.Condition);
            w.WriteBoolean("passed", gate.Passed);
            w.WriteString("detail", gate.Detail);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("decisions");
        foreach (var decision in request.Decisions)
        {
            w.WriteStartObject();
            w.WriteString("approver", decision.Approver);
            w.WriteString("decision", decision.Approve ? "approve" : "reject");
            if (!string.IsNullOrEmpty(decision.Comment))
                w.WriteString("comment", decision.Comment);
            w.WriteNumber("timestamp", decision.Timestamp);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteAuditEvent(Utf8JsonWriter w, AuditEvent e)
    {
        w.WriteStartObject();
        w.WriteNumber("id", e.Id);
        w.WriteNumber("timestamp", e.Timestamp);
        w.WriteString("actor", e.Actor);
        w.WriteString("action", e.Action);
        w.WriteString("resource", e.Resource);
        WriteRawJson(w, "before", e.Before);
        WriteRawJson(w, "after", e.After);
        if (e.RequestId is not null)
            w.WriteString("request_id", e.RequestId);
        w.WriteEndObject();
    }

    public static void WriteLineage(Utf8JsonWriter w, LineageGraph graph)
    {
        w.WriteStartObject();
        w.WriteStartArray("nodes");
        foreach (var node in graph.Nodes)
        {
            w.WriteStartObject();
            w.WriteString("id", node.Id);
            w.WriteString("type", node.Type);
            w.WriteString("label", node.Label);
            w.WriteStartObject("attributes");
            foreach (var (key, value) in node.Attributes)
                w.WriteString(key, value);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("edges");
        foreach (var edge in graph.Edges)
        {
            w.WriteStartObject();
            w.WriteString("from", edge.From);
            w.WriteString("to", edge.To);
            w.WriteString("relation", edge.Relation);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteModelCard(Utf8JsonWriter w, ModelCard card)
    {
        w.WriteStartObject();
        WriteOptional(w, "intended_use", card.IntendedUse);
        WriteOptional(w, "training_data", card.TrainingData);
        w.WriteStartArray("evaluation_metrics");
        foreach (var metric in card.EvaluationMetrics)
        {
            w.WriteStartObject();
            w.WriteString("name", metric.Name);
            MlflowJson.WriteDouble(w, "value", metric.Value);
            WriteOptional(w, "dataset", metric.Dataset);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteOptional(w, "limitations", card.Limitations);
        WriteStrings(w, "owners", card.Owners);
        w.WriteNumber("updated_timestamp", card.UpdatedTimestamp);
        w.WriteString("updated_by", card.UpdatedBy);
        w.WriteEndObject();
    }

    public static void WriteWebhook(Utf8JsonWriter w, Webhook webhook)
    {
        w.WriteStartObject();
        w.WriteNumber("id", webhook.Id);
        w.WriteString("name", webhook.Name);
        w.WriteString("url", webhook.Url);
        WriteStrings(w, "events", webhook.Events);
        WriteOptional(w, "model_name", webhook.ModelName);
        w.WriteBoolean("active", webhook.Active);
        w.WriteNumber("created_timestamp", webhook.CreatedTimestamp);
        w.WriteEndObject();
    }

    public static void WriteDelivery(Utf8JsonWriter w, WebhookDelivery delivery)
    {
        w.WriteStartObject();
        w.WriteNumber("id", delivery.Id);
        w.WriteNumber("webhook_id", delivery.WebhookId);
        w.WriteString("event", delivery.Event);
        WriteRawJson(w, "payload", delivery.Payload);
        w.WriteString("status", delivery.Status);
        w.WriteNumber("attempts", delivery.Attempts);
        w.WriteNumber("created_timestamp", delivery.CreatedTimestamp);
        w.WriteNumber("next_attempt_timestamp", delivery.NextAttemptTimestamp);
        if (delivery.DeliveredTimestamp is { } delivered)
            w.WriteNumber("delivered_timestamp", delivered);
        if (delivery.LastStatusCode is { } status)
            w.WriteNumber("last_status_code", status);
        WriteOptional(w, "last_error", delivery.LastError);
        w.WriteEndObject();
    }

    public static string Version(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static void WriteRawJson(Utf8JsonWriter w, string name, string? json)
    {
        w.WritePropertyName(name);
        if (json is null)
            w.WriteNullValue();
        else
            w.WriteRawValue(json, skipInputValidation: false);
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
            w.WriteString(name, value);
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
            w.WriteStringValue(value);
        w.WriteEndArray();
    }
}
