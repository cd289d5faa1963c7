namespace Slipway.Storage.Rows;

// Rows of the model registry, kept apart from the domain types in Slipway.Registry.Domain; mapping is explicit in
// Registry/RegistryRowMapping.cs. Children reference a model by its id, so a rename touches one row. Lists and
// records that are only ever read whole (policy, gates, card metrics, owners, webhook events) are JSON text.

public sealed class RegisteredModelRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public long CreationTime { get; set; }
    public long LastUpdatedTime { get; set; }
    public string? Description { get; set; }

    /// <summary>The highest version number ever created, so numbers are never reused after a delete.</summary>
    public long LastVersion { get; set; }

    /// <summary>The <c>ApprovalPolicy</c> as JSON, or null when the model has none.</summary>
    public string? Policy { get; set; }
}

public sealed class RegisteredModelTagRow
{
    public long ModelId { get; set; }
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}

public sealed class RegisteredModelAliasRow
{
    public long ModelId { get; set; }
    public string Alias { get; set; } = "";
    public long Version { get; set; }
}

public sealed class ModelVersionRow
{
    public long ModelId { get; set; }
    public long Version { get; set; }
    public long CreationTime { get; set; }
    public long LastUpdatedTime { get; set; }
    public string Description { get; set; } = "";
    public string? UserId { get; set; }
    public string CurrentStage { get; set; } = "";
    public string Source { get; set; } = "";
    public string? RunId { get; set; }
    public string RunLink { get; set; } = "";
    public string Status { get; set; } = "";
}

public sealed class ModelVersionTagRow
{
    public long ModelId { get; set; }
    public long Version { get; set; }
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}

public sealed class ModelCardRow
{
    public long ModelId { get; set; }
    public long Version { get; set; }
    public string? IntendedUse { get; set; }
    public string? TrainingData { get; set; }
    public string EvaluationMetrics { get; set; } = "[]";
    public string? Limitations { get; set; }
    public string Owners { get; set; } = "[]";
    public long UpdatedTime { get; set; }
    public string UpdatedBy { get; set; } = "";
}

public sealed class ApprovalRequestRow
{
    public long Id { get; set; }
    public long ModelId { get; set; }
    public long Version { get; set; }

    /// <summary><c>alias</c> or <c>stage</c>.</summary>
    public string TargetKind { get; set; } = "";
    public string Target { get; set; } = "";
    public string Status { get; set; } = "";
    public string Requester { get; set; } = "";
    public string? Comment { get; set; }
    public int RequiredApprovals { get; set; }
    public long CreatedTime { get; set; }
    public long? DecidedTime { get; set; }
    public string Gates { get; set; } = "[]";
}

public sealed class ApprovalDecisionRow
{
    public long RequestId { get; set; }
    public string Approver { get; set; } = "";
    public bool Approve { get; set; }
    public string? Comment { get; set; }
    public long Time { get; set; }
}

public sealed class WebhookRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Url { get; set; } = "";
    public string Events { get; set; } = "[]";
    public string? ModelName { get; set; }
    public string Secret { get; set; } = "";
    public bool Active { get; set; }
    public long CreatedTime { get; set; }
}

/// <summary>One event for one webhook: the outbox row while pending, then the delivery log entry.</summary>
public sealed class WebhookDeliveryRow
{
    public long Id { get; set; }
    public long WebhookId { get; set; }
    public string Event { get; set; } = "";
    public string Payload { get; set; } = "";
    public string Status { get; set; } = "";
    public int Attempts { get; set; }
    public long CreatedTime { get; set; }
    public long NextAttemptTime { get; set; }
    public long? DeliveredTime { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
}
