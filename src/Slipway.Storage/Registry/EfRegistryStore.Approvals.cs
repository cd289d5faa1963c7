using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Registry.Domain;
using Slipway.Storage.Rows;

namespace Slipway.Storage.Registry;

internal sealed partial class EfRegistryStore
{
    public Task<ApprovalRequest> DecideApprovalAsync(long id, ApprovalDecision decision, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var modelId = await db.ApprovalRequests.Where(r => r.Id == id).Select(r => (long?)r.ModelId).FirstOrDefaultAsync(ct)
                ?? throw RequestNotFound(id);
            var model = await FindModelForUpdateAsync(db, modelId, ct) ?? throw RequestNotFound(id);
            // Read again under the model's lock: a concurrent decision may have closed the request meanwhile.
            var request = await db.ApprovalRequests.AsTracking().FirstOrDefaultAsync(r => r.Id == id, ct) ?? throw RequestNotFound(id);
            if (request.Status != ApprovalStatus.Pending)
                throw SlipwayException.InvalidParameter($"Approval request {id} is already {request.Status}");
            if (await db.ApprovalDecisions.AnyAsync(d => d.RequestId == id && d.Approver == decision.Approver, ct))
                throw SlipwayException.AlreadyExists($"{decision.Approver} has already decided on approval request {id}");
            db.ApprovalDecisions.Add(new ApprovalDecisionRow
            {
                RequestId = id,
                Approver = decision.Approver,
                Approve = decision.Approve,
                Comment = decision.Comment,
                Time = decision.Timestamp,
            });
            var approvals = await db.ApprovalDecisions.CountAsync(d => d.RequestId == id && d.Approve, ct) + (decision.Approve ? 1 : 0);
            var before = new { request.Status, Approvals = approvals - (decision.Approve ? 1 : 0) };
            if (!decision.Approve || approvals >= request.RequiredApprovals)
            {
                request.Status = decision.Approve ? ApprovalStatus.Approved : ApprovalStatus.Rejected;
                request.DecidedTime = now;
            }
            await AppendEventAsync(db, audit, RegistryActions.ApprovalDecided, AuditResources.Approval(model.Name, id), model.Name, request.Version, before,
                new { request.Status, Approvals = approvals, decision.Approver, decision.Approve, decision.Comment }, now, ct);
            if (request.Status == ApprovalStatus.Approved)
                await ApplyTargetAsync(db, model, request, now, audit, ct);
            await db.SaveChangesAsync(ct);
            return (await LoadRequestsAsync(db, [(request, model.Name)], ct))[0];
        }, ct);

    /// <summary>Applies an approved request exactly as SetAlias or TransitionStage (without archiving) would.</summary>
    private static Task ApplyTargetAsync(SlipwayDbContext db, RegisteredModelRow model, ApprovalRequestRow request, long now, AuditContext audit, CancellationToken ct) =>
        request.TargetKind == RegistryRowMapping.StageTarget
            ? ApplyStageAsync(db, model, request.Version, ModelStages.Canonical(request.Target) ?? request.Target, archiveExisting: false, now, audit, ct)
            : ApplyAliasAsync(db, model, request.Target, request.Version, now, audit, ct);

    private static SlipwayException RequestNotFound(long id) => SlipwayException.NotFound($"Approval request {id} not found");
}
