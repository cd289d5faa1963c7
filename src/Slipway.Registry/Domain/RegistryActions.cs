namespace Slipway.Registry.Domain;

/// <summary>
/// Audit actions of the registry. The ones in <see cref="WebhookEvents"/> are also the event names webhook
/// subscribers choose from (MLflow 3 uses the same <c>entity.action</c> vocabulary for its webhooks).
/// </summary>
public static class RegistryActions
{
    public const string ModelCreated = "registered_model.created";
    public const string ModelRenamed = "registered_model.renamed";
    public const string ModelUpdated = "registered_model.updated";
    public const string ModelDeleted = "registered_model.deleted";
    public const string ModelTagSet = "registered_model_tag.set";
    public const string ModelTagDeleted = "registered_model_tag.deleted";
    public const string VersionCreated = "model_version.created";
    public const string VersionUpdated = "model_version.updated";
    public const string VersionDeleted = "model_version.deleted";
    public const string VersionStageChanged = "model_version.stage_changed";
    public const string VersionTagSet = "model_version_tag.set";
    public const string VersionTagDeleted = "model_version_tag.deleted";
    public const string AliasSet = "model_version_alias.set";
    public const string AliasDeleted = "model_version_alias.deleted";
    public const string ModelCardSet = "model_card.set";
    public const string PolicySet = "approval_policy.set";
    public const string PolicyDeleted = "approval_policy.deleted";
    public const string ApprovalRequested = "approval.requested";
    public const string ApprovalDecided = "approval.decided";
    public const string WebhookCreated = "webhook.created";
    public const string WebhookUpdated = "webhook.updated";
    public const string WebhookDeleted = "webhook.deleted";

    /// <summary>Events a webhook can subscribe to; <c>*</c> subscribes to all of them.</summary>
    public static readonly IReadOnlyList<string> WebhookEvents =
    [
        ModelCreated, VersionCreated, AliasSet, AliasDeleted, VersionStageChanged, ApprovalRequested, ApprovalDecided,
        VersionTagSet, VersionTagDeleted, ModelDeleted, VersionDeleted,
    ];
}
