using System.Security.Claims;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Core.Paging;
using Slipway.Registry.Approvals;
using Slipway.Registry.Domain;
using Slipway.Tracking.Domain;
using Slipway.Tracking.Validation;

namespace Slipway.Registry;

public sealed partial class RegistryService
{
    private const int MaxCommentLength = 5000;

    public async Task<ApprovalPolicy?> GetPolicyAsync(string name, CancellationToken ct)
    {
        await GetRegisteredModelAsync(name, ct);
        return await store.GetPolicyAsync(name, ct);
    }

    public async Task<ApprovalPolicy> SetPolicyAsync(string name, ApprovalPolicy policy, AuditContext audit, CancellationToken ct)
    {
        if (policy.ProtectedAliases.Count == 0 && policy.ProtectedStages.Count == 0)
            throw SlipwayException.InvalidParameter("An approval policy must protect at least one alias or stage.");
        foreach (var alias in policy.ProtectedAliases)
            ValidateAlias(alias);
        var stages = new List<string>();
        foreach (var stage in policy.ProtectedStages)
        {
            var canonical = ModelStages.Canonical(stage);
            if (canonical is null or ModelStages.None)
                throw SlipwayException.InvalidParameter($"Invalid protected stage '{stage}'. Value must be one of Staging, Production, Archived.");
            stages.Add(canonical);
        }
        if (policy.RequiredApprovals is < 1 or > 10)
            throw SlipwayException.InvalidParameter($"required_approvals must be between 1 and 10, got {policy.RequiredApprovals}.");
        if (string.IsNullOrWhiteSpace(policy.ApproverRole))
            throw SlipwayException.InvalidParameter("approver_role cannot be empty.");
        foreach (var key in policy.RequiredTags)
            Validator.EntityKey("Tag", key);
        GateEvaluator.Validate(policy);
        var normalized = policy with { ProtectedStages = stages.Distinct().ToList(), ProtectedAliases = policy.ProtectedAliases.Distinct().ToList() };
        await store.SetPolicyAsync(name, normalized, audit, ct);
        return normalized;
    }

    public Task DeletePolicyAsync(string name, AuditContext audit, CancellationToken ct) => store.SetPolicyAsync(name, null, audit, ct);

    /// <summary>
    /// Opens an approval request for a protected alias or stage. The gates are evaluated now; a request whose gates
    /// fail is refused with every failing condition and the value found, so nobody is asked to approve it.
    /// </summary>
    public async Task<ApprovalRequest> RequestApprovalAsync(string name, long version, ApprovalTarget target, string? comment, AuditContext audit, CancellationToken ct)
    {
        ValidateComment(comment);
        var policy = await GetPolicyAsync(name, ct)
            ?? throw SlipwayException.InvalidParameter($"Registered model '{name}' has no approval policy; set the alias or stage directly.");
        target = NormalizeTarget(policy, name, target);
        var modelVersion = await GetModelVersionAsync(name, version, ct);
        var gates = await EvaluateGatesAsync(policy, modelVersion, ct);
        ThrowIfGatesFail(gates, name, version);
        var pending = await store.SearchApprovalRequestsAsync(new ApprovalQuery(name, ApprovalStatus.Pending, 1000, 0), ct);
        if (pending.Items.FirstOrDefault(r => r.Version == version && r.Target == target) is { } existing)
            throw SlipwayException.AlreadyExists($"Approval request {existing.Id} for version {version} of '{name}' ({Describe(target)}) is already pending.");
        var request = await store.CreateApprovalRequestAsync(
            new NewApprovalRequest(name, version, target, audit.Actor, comment, policy.RequiredApprovals, gates), Now, audit, ct);
        webhooks.Notify();
        return request;
    }

    public async Task<ApprovalRequest> GetApprovalRequestAsync(long id, CancellationToken ct) =>
        await store.GetApprovalRequestAsync(id, ct) ?? throw SlipwayException.NotFound($"Approval request {id} not found");

    public async Task<Page<ApprovalRequest>> SearchApprovalRequestsAsync(string? model, string? status, int? maxResults, string? pageToken, CancellationToken ct)
    {
        if (status is not (null or "" or ApprovalStatus.Pending or ApprovalStatus.Approved or ApprovalStatus.Rejected))
            throw SlipwayException.InvalidParameter($"Invalid status '{status}'. Value must be one of pending, approved, rejected.");
        var limit = maxResults ?? 100;
        Validator.MaxResults(limit, 1000);
        var query = new ApprovalQuery(string.IsNullOrEmpty(model) ? null : model, string.IsNullOrEmpty(status) ? null : status, limit, PageToken.Decode(pageToken));
        var (items, hasMore) = await store.SearchApprovalRequestsAsync(query, ct);
        return new Page<ApprovalRequest>(items, hasMore ? PageToken.Encode(query.Offset + items.Count) : null);
    }

    /// <summary>
    /// Approves as <paramref name="audit"/>'s actor: not the requester, holding the policy's approver role, once per
    /// request. The gates are checked again, since the source run may have changed; the approval that completes
    /// the count applies the change. With access control on, the role is the signed-in <paramref name="user"/>'s
    /// (see <see cref="HoldsRole"/>).
    /// </summary>
    public Task<ApprovalRequest> ApproveAsync(long id, string? comment, AuditContext audit, ClaimsPrincipal? user, CancellationToken ct) =>
        DecideAsync(id, approve: true, comment, audit, user, ct);

    public Task<ApprovalRequest> RejectAsync(long id, string? comment, AuditContext audit, ClaimsPrincipal? user, CancellationToken ct) =>
        DecideAsync(id, approve: false, comment, audit, user, ct);

    /// <summary>Approves without a principal: only for servers without access control (the configured role lists decide).</summary>
    public Task<ApprovalRequest> ApproveAsync(long id, string? comment, AuditContext audit, CancellationToken ct) =>
        DecideAsync(id, approve: true, comment, audit, null, ct);

    /// <summary>Rejects without a principal: only for servers without access control (the configured role lists decide).</summary>
    public Task<ApprovalRequest> RejectAsync(long id, string? comment, AuditContext audit, CancellationToken ct) =>
        DecideAsync(id, approve: false, comment, audit, null, ct);

    /// <summary>
    /// Whether the decider holds <paramref name="role"/>. With access control on it is the signed-in user's role (their
    /// stored roles or single sign-on groups; admins hold every role) and a caller that passes no principal holds none;
    /// with it off, <see cref="RegistryOptions.Roles"/> lists who holds what by the name the request gives.
    /// </summary>
    private bool HoldsRole(AuditContext audit, ClaimsPrincipal? user, string role) =>
        access is { Enabled: true }
            ? user is not null && access.HasRole(user, role)
            : options.HasRole(audit.Actor, role);

    private async Task<ApprovalRequest> DecideAsync(long id, bool approve, string? comment, AuditContext audit, ClaimsPrincipal? user, CancellationToken ct)
    {
        ValidateComment(comment);
        var request = await GetApprovalRequestAsync(id, ct);
        if (request.Status != ApprovalStatus.Pending)
            throw SlipwayException.InvalidParameter($"Approval request {id} is already {request.Status}.");
        var policy = await store.GetPolicyAsync(request.ModelName, ct);
        var role = policy?.ApproverRole ?? ApprovalPolicy.DefaultApproverRole;
        if (audit.Actor == AuditContext.Anonymous)
            throw new SlipwayException(ErrorCode.PermissionDenied, "Deciding an approval request needs a named user (HTTP basic auth user name, e.g. MLFLOW_TRACKING_USERNAME or `slipway --user`).");
        if (string.Equals(audit.Actor, request.Requester, StringComparison.Ordinal))
            throw new SlipwayException(ErrorCode.PermissionDenied, $"User '{audit.Actor}' requested approval request {id} and cannot decide it; another approver must.");
        if (!HoldsRole(audit, user, role))
            throw new SlipwayException(ErrorCode.PermissionDenied, $"User '{audit.Actor}' does not hold the '{role}' role required to decide approvals for registered model '{request.ModelName}'.");
        if (approve && policy is not null)
        {
            var version = await GetModelVersionAsync(request.ModelName, request.Version, ct);
            ThrowIfGatesFail(await EvaluateGatesAsync(policy, version, ct), request.ModelName, request.Version);
        }
        var decided = await store.DecideApprovalAsync(id, new ApprovalDecision(audit.Actor, approve, comment, Now), Now, audit, ct);
        aliases.Invalidate(request.ModelName);
        webhooks.Notify();
        return decided;
    }

    private async Task<IReadOnlyList<GateResult>> EvaluateGatesAsync(ApprovalPolicy policy, ModelVersion version, CancellationToken ct)
    {
        var run = string.IsNullOrEmpty(version.RunId) ? null : await tracking.GetRunAsync(version.RunId, ct);
        var card = policy.RequireModelCard ? await store.GetModelCardAsync(version.Name, version.Version, ct) : null;
        return GateEvaluator.Evaluate(policy, version, run, card is not null);
    }

    private static void ThrowIfGatesFail(IReadOnlyList<GateResult> gates, string name, long version)
    {
        var failed = gates.Where(g => !g.Passed).ToList();
        if (failed.Count > 0)
            throw SlipwayException.InvalidParameter(
                $"Version {version} of registered model '{name}' fails its approval gates: " + string.Join("; ", failed.Select(g => $"{g.Condition} ({g.Detail})")));
    }

    private static ApprovalTarget NormalizeTarget(ApprovalPolicy policy, string name, ApprovalTarget target)
    {
        if (target.Kind == ApprovalTargetKind.Alias)
        {
            ValidateAlias(target.Value);
            return IsProtectedAlias(policy, target.Value)
                ? target
                : throw SlipwayException.InvalidParameter($"Alias '{target.Value}' of registered model '{name}' is not protected; set it directly.");
        }
        var stage = ModelStages.Canonical(target.Value)
            ?? throw SlipwayException.InvalidParameter($"Invalid Model Version stage: {target.Value}. Value must be one of {string.Join(", ", ModelStages.All)}.");
        return IsProtectedStage(policy, stage)
            ? target with { Value = stage }
            : throw SlipwayException.InvalidParameter($"Stage '{stage}' of registered model '{name}' is not protected; transition to it directly.");
    }

    private static string Describe(ApprovalTarget target) => target.Kind == ApprovalTargetKind.Alias ? $"alias '{target.Value}'" : $"stage '{target.Value}'";

    private static void ValidateComment(string? comment)
    {
        if (comment is not null)
            Validator.MaxLength("Comment", comment, MaxCommentLength);
    }
}
