using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Registry.Domain;
using Slipway.Storage.Rows;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Registry;

/// <summary>Explicit row ↔ domain mapping for the registry, and the JSON of columns that hold lists or records.</summary>
internal static class RegistryRowMapping
{
    public const string AliasTarget = "alias";
    public const string StageTarget = "stage";

    /// <summary>JSON columns use the conventions of the audit trail and the API: snake_case, nulls left out.</summary>
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static RegisteredModel ToRegisteredModel(RegisteredModelRow row, IReadOnlyList<Tag> tags, IReadOnlyList<ModelAlias> aliases,
        IReadOnlyList<ModelVersion> latestVersions) =>
        new(row.Name, row.CreationTime, row.LastUpdatedTime, row.Description, tags, aliases, latestVersions);

    public static ModelVersion ToModelVersion(ModelVersionRow row, string name, IReadOnlyList<Tag> tags, IReadOnlyList<string> aliases) => new(
        name,
        row.Version,
        row.CreationTime,
        row.LastUpdatedTime,
        row.UserId,
        row.CurrentStage,
        row.Description,
        row.Source,
        row.RunId,
        row.RunLink,
        row.Status,
        tags,
        aliases);

    public static ModelCard ToModelCard(ModelCardRow row) => new(
        row.IntendedUse,
        row.TrainingData,
        ReadList<CardMetric>(row.EvaluationMetrics),
        row.Limitations,
        ReadList<string>(row.Owners),
        row.UpdatedTime,
        row.UpdatedBy);

    public static void CopyCard(ModelCard card, ModelCardRow row)
    {
        row.IntendedUse = card.IntendedUse;
        row.TrainingData = card.TrainingData;
        row.EvaluationMetrics = Write(card.EvaluationMetrics);
        row.Limitations = card.Limitations;
        row.Owners = Write(card.Owners);
        row.UpdatedTime = card.UpdatedTimestamp;
        row.UpdatedBy = card.UpdatedBy;
    }

    public static ApprovalRequest ToApprovalRequest(ApprovalRequestRow row, string modelName, IReadOnlyList<ApprovalDecisionRow> decisions) => new(
        row.Id,
        modelName,
        row.Version,
        new ApprovalTarget(row.TargetKind == StageTarget ? ApprovalTargetKind.Stage : ApprovalTargetKind.Alias, row.Target),
        row.Status,
        row.Requester,
        row.Comment,
        row.RequiredApprovals,
        row.CreatedTime,
        row.DecidedTime,
        ReadList<GateResult>(row.Gates),
        decisions.Select(d => new ApprovalDecision(d.Approver, d.Approve, d.Comment, d.Time)).ToList());

    public static string TargetKind(ApprovalTargetKind kind) => kind == ApprovalTargetKind.Stage ? StageTarget : AliasTarget;

    public static Webhook ToWebhook(WebhookRow row) =>
        new(row.Id, row.Name, row.Url, ReadList<string>(row.Events), row.ModelName, row.Active, row.CreatedTime);

    public static WebhookDelivery ToDelivery(WebhookDeliveryRow row) => new(
        row.Id,
        row.WebhookId,
        row.Event,
        row.Payload,
        row.Status,
        row.Attempts,
        row.CreatedTime,
        row.NextAttemptTime,
        row.DeliveredTime,
        row.LastStatusCode,
        row.LastError);

    public static ApprovalPolicy? ReadPolicy(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<ApprovalPolicy>(json, Json);

    public static string? WritePolicy(ApprovalPolicy? policy) => policy is null ? null : Write(policy);

    public static IReadOnlyList<T> ReadList<T>(string json) => JsonSerializer.Deserialize<List<T>>(json, Json) ?? [];

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Json);

    /// <summary>What audit events and webhook payloads show of a version.</summary>
    public static object VersionSnapshot(ModelVersionRow row) => new
    {
        row.Version,
        row.CurrentStage,
        row.Description,
        row.Source,
        row.RunId,
        row.Status,
        row.UserId,
    };

    /// <summary>What audit events show of a webhook; never its secret.</summary>
    public static object WebhookSnapshot(WebhookRow row) => new
    {
        row.Name,
        row.Url,
        Events = ReadList<string>(row.Events),
        row.ModelName,
        row.Active,
    };
}
