using Microsoft.EntityFrameworkCore;
using Slipway.Core.Audit;
using Slipway.Registry.Domain;
using Slipway.Storage.Rows;

namespace Slipway.Storage.Registry;

internal sealed partial class EfRegistryStore
{
    public Task<ApprovalPolicy?> GetPolicyAsync(string name, CancellationToken ct) =>
        ReadAsync(async db =>
        {
            var policy = await db.RegisteredModels.Where(m => m.Name == name).Select(m => new { m.Policy }).FirstOrDefaultAsync(ct)
                ?? throw RegistryErrors.ModelNotFound(name);
            return RegistryRowMapping.ReadPolicy(policy.Policy);
        }, ct);

    public Task SetPolicyAsync(string name, ApprovalPolicy? policy, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var model = await FindModelForUpdateAsync(db, name, ct);
            var before = RegistryRowMapping.ReadPolicy(model.Policy);
            // Deleting a policy that is not there changes nothing and leaves no event.
            if (before is null && policy is null)
                return;
            model.Policy = RegistryRowMapping.WritePolicy(policy);
            await AppendEventAsync(db, audit, policy is null ? RegistryActions.PolicyDeleted : RegistryActions.PolicySet, AuditResources.Model(name), name, null,
                before, policy, Now, ct);
        }, ct);

    public Task<ModelCard?> GetModelCardAsync(string name, long version, CancellationToken ct) =>
        ReadAsync(async db =>
        {
            var model = await db.RegisteredModels.FirstOrDefaultAsync(m => m.Name == name, ct) ?? throw RegistryErrors.ModelNotFound(name);
            await EnsureVersionExistsAsync(db, model, version, ct);
            var row = await db.ModelCards.FirstOrDefaultAsync(c => c.ModelId == model.Id && c.Version == version, ct);
            return row is null ? null : RegistryRowMapping.ToModelCard(row);
        }, ct);

    public Task<ModelCard> SetModelCardAsync(string name, long version, ModelCard card, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var model = await FindModelForUpdateAsync(db, name, ct);
            await EnsureVersionExistsAsync(db, model, version, ct);
            var row = await db.ModelCards.AsTracking().FirstOrDefaultAsync(c => c.ModelId == model.Id && c.Version == version, ct);
            var before = row is null ? null : RegistryRowMapping.ToModelCard(row);
            if (row is null)
            {
                row = new ModelCardRow { ModelId = model.Id, Version = version };
                db.ModelCards.Add(row);
            }
            RegistryRowMapping.CopyCard(card, row);
            var after = RegistryRowMapping.ToModelCard(row);
            await AppendEventAsync(db, audit, RegistryActions.ModelCardSet, AuditResources.ModelVersion(name, version), name, version,
                before, after, Now, ct);
            return after;
        }, ct);

    public Task<ApprovalRequest> CreateApprovalRequestAsync(NewApprovalRequest request, long now, AuditContext audit, CancellationToken ct) =>
        WriteAsync(async db =>
        {
            var model = await FindModelForUpdateAsync(db, request.ModelName, ct);
            await EnsureVersionExistsAsync(db, model, request.Version, ct);
            var row = new ApprovalRequestRow
            {
                ModelId = model.Id,
                Version = request.Version,
                TargetKind = RegistryRowMapping.TargetKind(request.Target.Kind),
                Target = request.Target.Value,
                Status = ApprovalStatus.Pending,
                Requester = request.Requester,
                Comment = request.Comment,
                RequiredApprovals = request.RequiredApprovals,
                CreatedTime = now,
                Gates = RegistryRowMapping.Write(request.Gates),
            };
            db.ApprovalRequests.Add(row);
            await db.SaveChangesAsync(ct);
            await AppendEventAsync(db, audit, RegistryActions.ApprovalRequested, AuditResources.Approval(model.Name, row.Id), model.Name, row.Version, null, new
            {
                row.Version,
                row.TargetKind,
                row.Target,
                row.Status,
                row.Requester,
                row.Comment,
                row.RequiredApprovals,
                request.Gates,
            }, now, ct);
            return RegistryRowMapping.ToApprovalRequest(row, model.Name, []);
        }, ct);

    public Task<ApprovalRequest?> GetApprovalRequestAsync(long id, CancellationToken ct) =>
        ReadAsync(async db =>
        {
            var found = await db.ApprovalRequests.Where(r => r.Id == id)
                .Join(db.RegisteredModels, r => r.ModelId, m => m.Id, (r, m) => new { Request = r, m.Name })
                .FirstOrDefaultAsync(ct);
            return found is null ? null : (await LoadRequestsAsync(db, [(found.Request, found.Name)], ct))[0];
        }, ct);

    public Task<(IReadOnlyList<ApprovalRequest> Items, bool HasMore)> SearchApprovalRequestsAsync(ApprovalQuery query, CancellationToken ct) =>
        ReadAsync<(IReadOnlyList<ApprovalRequest>, bool)>(async db =>
        {
            var requests = db.ApprovalRequests.Join(db.RegisteredModels, r => r.ModelId, m => m.Id, (r, m) => new { Request = r, m.Name });
            if (query.ModelName is { } modelName)
                requests = requests.Where(x => x.Name == modelName);
            if (query.Status is { } status)
                requests = requests.Where(x => x.Request.Status == status);
            var rows = await requests.OrderByDescending(x => x.Request.Id).Skip(query.Offset).Take(query.MaxResults + 1).ToListAsync(ct);
            var hasMore = rows.Count > query.MaxResults;
            if (hasMore)
                rows.RemoveAt(rows.Count - 1);
            return (await LoadRequestsAsync(db, rows.ConvertAll(x => (x.Request, x.Name)), ct), hasMore);
        }, ct);

    private static async Task<List<ApprovalRequest>> LoadRequestsAsync(SlipwayDbContext db, IReadOnlyList<(ApprovalRequestRow Row, string Name)> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Row.Id).ToList();
        var decisions = (await db.ApprovalDecisions.Where(d => ids.Contains(d.RequestId)).OrderBy(d => d.Time).ThenBy(d => d.Approver).ToListAsync(ct))
            .ToLookup(d => d.RequestId);
        return rows.Select(r => RegistryRowMapping.ToApprovalRequest(r.Row, r.Name, decisions[r.Row.Id].ToList())).ToList();
    }
}
