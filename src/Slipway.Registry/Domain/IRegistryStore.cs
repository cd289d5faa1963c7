using Slipway.Core.Audit;
using Slipway.Tracking.Domain;
using Slipway.Tracking.Search;

namespace Slipway.Registry.Domain;

public sealed record RegisteredModelQuery(IReadOnlyList<FilterClause> Filter, IReadOnlyList<OrderClause> OrderBy, int MaxResults, int Offset);

public sealed record ModelVersionQuery(IReadOnlyList<FilterClause> Filter, IReadOnlyList<OrderClause> OrderBy, int MaxResults, int Offset);

/// <summary>
/// Persistence of the model registry and its governance records. Every mutation takes an <see cref="AuditContext"/>
/// and appends its audit event (with before and after values read inside the same transaction) before it commits;
/// events named in <see cref="RegistryActions.WebhookEvents"/> also enqueue one delivery per matching active
/// webhook in that transaction (an outbox), so a slow subscriber never holds up the API.
/// Missing models and versions are reported with <see cref="RegistryErrors"/>; a duplicate name with
/// <see cref="RegistryErrors.ModelExists"/>. Concurrent changes to one model are serialized (PostgreSQL: row lock).
/// </summary>
public interface IRegistryStore
{
    Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description, IReadOnlyList<Tag> tags, long now, AuditContext audit, CancellationToken ct);

    Task<RegisteredModel?> GetRegisteredModelAsync(string name, CancellationToken ct);

    Task<(IReadOnlyList<RegisteredModel> Items, bool HasMore)> SearchRegisteredModelsAsync(RegisteredModelQuery query, CancellationToken ct);

    /// <summary>Renames the model; its versions' <c>last_updated_timestamp</c> move to <paramref name="now"/> as in MLflow.</summary>
    Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, long now, AuditContext audit, CancellationToken ct);

    Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, long now, AuditContext audit, CancellationToken ct);

    /// <summary>Deletes the model with its versions, tags, aliases, card, policy and pending approval requests.</summary>
    Task DeleteRegisteredModelAsync(string name, AuditContext audit, CancellationToken ct);

    Task SetRegisteredModelTagAsync(string name, Tag tag, AuditContext audit, CancellationToken ct);

    /// <summary>Deleting an absent tag succeeds (MLflow answers 200).</summary>
    Task DeleteRegisteredModelTagAsync(string name, string key, AuditContext audit, CancellationToken ct);

    /// <summary>Creates the next version (numbers are never reused, even after deletion); the model's last update moves to <paramref name="now"/>.</summary>
    Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, long now, AuditContext audit, CancellationToken ct);

    Task<ModelVersion?> GetModelVersionAsync(string name, long version, CancellationToken ct);

    Task<(IReadOnlyList<ModelVersion> Items, bool HasMore)> SearchModelVersionsAsync(ModelVersionQuery query, CancellationToken ct);

    Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string? description, long now, AuditContext audit, CancellationToken ct);

    /// <summary>
    /// Moves a version to <paramref name="stage"/> (canonical spelling). With <paramref name="archiveExisting"/> the
    /// other versions in that stage (Staging or Production only) move to Archived. Updates the model's last update.
    /// </summary>
    Task<ModelVersion> TransitionStageAsync(string name, long version, string stage, bool archiveExisting, long now, AuditContext audit, CancellationToken ct);

    /// <summary>Deletes a version with its tags and the aliases that point at it.</summary>
    Task DeleteModelVersionAsync(string name, long version, long now, AuditContext audit, CancellationToken ct);

    Task SetModelVersionTagAsync(string name, long version, Tag tag, AuditContext audit, CancellationToken ct);

    Task DeleteModelVersionTagAsync(string name, long version, string key, AuditContext audit, CancellationToken ct);

    /// <summary>The newest version in each of <paramref name="stages"/> (all stages when empty), ordered by version.</summary>
    Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<string> stages, CancellationToken ct);

    /// <summary>Points <paramref name="alias"/> at a version, moving it if it exists. Audit: before/after version.</summary>
    Task SetAliasAsync(string name, string alias, long version, AuditContext audit, CancellationToken ct);

    /// <summary>Removes an alias; removing an absent alias of an existing model succeeds.</summary>
    Task DeleteAliasAsync(string name, string alias, AuditContext audit, CancellationToken ct);

    /// <summary>The version an alias points at, or null if the model or alias does not exist.</summary>
    Task<long?> ResolveAliasAsync(string name, string alias, CancellationToken ct);

    Task<ApprovalPolicy?> GetPolicyAsync(string name, CancellationToken ct);

    Task SetPolicyAsync(string name, ApprovalPolicy? policy, AuditContext audit, CancellationToken ct);

    Task<ModelCard?> GetModelCardAsync(string name, long version, CancellationToken ct);

    Task<ModelCard> SetModelCardAsync(string name, long version, ModelCard card, AuditContext audit, CancellationToken ct);

    Task<ApprovalRequest> CreateApprovalRequestAsync(NewApprovalRequest request, long now, AuditContext audit, CancellationToken ct);

    Task<ApprovalRequest?> GetApprovalRequestAsync(long id, CancellationToken ct);

    /// <summary>Newest first.</summary>
    Task<(IReadOnlyList<ApprovalRequest> Items, bool HasMore)> SearchApprovalRequestsAsync(ApprovalQuery query, CancellationToken ct);

    /// <summary>
    /// Records one approver's decision on a pending request, atomically: a second decision by the same approver is
    /// <c>RESOURCE_ALREADY_EXISTS</c>, a request that is no longer pending is <c>INVALID_PARAMETER_VALUE</c>. A
    /// rejection closes the request. An approval that brings the count of distinct approvers to the request's
    /// <see cref="ApprovalRequest.RequiredApprovals"/> closes it as approved and applies its target (alias set or
    /// stage transition, with their own audit events) in the same transaction.
    /// </summary>
    Task<ApprovalRequest> DecideApprovalAsync(long id, ApprovalDecision decision, long now, AuditContext audit, CancellationToken ct);

    Task<Webhook> CreateWebhookAsync(NewWebhook webhook, long now, AuditContext audit, CancellationToken ct);

    Task<IReadOnlyList<Webhook>> ListWebhooksAsync(CancellationToken ct);

    Task<Webhook?> GetWebhookAsync(long id, CancellationToken ct);

    Task<Webhook> SetWebhookActiveAsync(long id, bool active, AuditContext audit, CancellationToken ct);

    Task DeleteWebhookAsync(long id, AuditContext audit, CancellationToken ct);

    /// <summary>A subscription's delivery log, newest first.</summary>
    Task<(IReadOnlyList<WebhookDelivery> Items, bool HasMore)> ListDeliveriesAsync(long webhookId, int maxResults, int offset, CancellationToken ct);

    /// <summary>
    /// Pending deliveries whose next attempt is due at <paramref name="now"/>, oldest first, claimed for the caller for a
    /// lease: another caller (another replica) does not get them until the attempt is recorded or the lease passes.
    /// </summary>
    Task<IReadOnlyList<DueDelivery>> GetDueDeliveriesAsync(long now, int max, CancellationToken ct);

    /// <summary>
    /// Records an attempt: delivered, retry at <paramref name="nextAttempt"/>, or failed for good when it is null; only
    /// while the delivery is still claimed by the lease ending at <paramref name="claimedUntil"/>
    /// (<see cref="DueDelivery.ClaimedUntil"/>). False when it is not (another replica took it over after the lease
    /// passed, or the delivery was deleted): nothing is recorded then.
    /// </summary>
    Task<bool> RecordDeliveryAttemptAsync(long deliveryId, long claimedUntil, bool delivered, int? statusCode, string? error, long now, long? nextAttempt, CancellationToken ct);

    /// <summary>The earliest next attempt of any pending delivery, so the dispatcher can sleep until then.</summary>
    Task<long?> GetNextDeliveryTimeAsync(CancellationToken ct);
}
