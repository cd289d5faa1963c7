using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Registry.Domain;

namespace Slipway.Storage.Compliance;

public abstract partial class RegistryStoreCompliance
{
    protected static ModelCard Card(string intendedUse = "fraud scoring") =>
        new(intendedUse, "2024 transactions", [new CardMetric("auc", 0.93, "holdout"), new CardMetric("f1", 0.8, null)], null, ["ana", "bob"], Now, "ana");

    protected static ApprovalPolicy Policy() =>
        new(["prod"], [ModelStages.Production], 2, ApprovalPolicy.DefaultApproverRole, ["metrics.auc >= 0.9"], ["validated"], true);

    protected static NewApprovalRequest AliasRequest(string name, long version, string alias, int requiredApprovals = 1) =>
        new(name, version, new ApprovalTarget(ApprovalTargetKind.Alias, alias), "carol", "please", requiredApprovals,
            [new GateResult("metrics.auc >= 0.9", true, "auc = 0.93")]);

    private static ApprovalDecision Decision(string approver, bool approve = true) => new(approver, approve, approver + " says so", Now + 1);

    [Fact]
    public async Task ModelCard_SetThenReplaced_ReadsBackTheLatest()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);

        Assert.Null(await Store.GetModelCardAsync(name, 1, Ct));
        await Store.SetModelCardAsync(name, 1, Card("first"), Alice, Ct);
        var returned = await Store.SetModelCardAsync(name, 1, Card(), Alice, Ct);

        var card = Assert.IsType<ModelCard>(await Store.GetModelCardAsync(name, 1, Ct));
        Assert.Equal("fraud scoring", card.IntendedUse);
        Assert.Equal("2024 transactions", card.TrainingData);
        Assert.Null(card.Limitations);
        Assert.Equal([new CardMetric("auc", 0.93, "holdout"), new CardMetric("f1", 0.8, null)], card.EvaluationMetrics);
        Assert.Equal(["ana", "bob"], card.Owners);
        Assert.Equal((Now, "ana"), (card.UpdatedTimestamp, card.UpdatedBy));
        Assert.Equal(card.IntendedUse, returned.IntendedUse);
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.SetModelCardAsync(name, 2, Card(), Alice, Ct));
    }

    [Fact]
    public async Task Policy_SetThenCleared_ReadsBack()
    {
        var name = await CreateModelAsync();

        await Store.SetPolicyAsync(name, Policy(), Alice, Ct);
        var stored = Assert.IsType<ApprovalPolicy>(await Store.GetPolicyAsync(name, Ct));
        await Store.SetPolicyAsync(name, null, Alice, Ct);

        Assert.Equal(["prod"], stored.ProtectedAliases);
        Assert.Equal([ModelStages.Production], stored.ProtectedStages);
        Assert.Equal((2, "approver", true), (stored.RequiredApprovals, stored.ApproverRole, stored.RequireModelCard));
        Assert.Equal(["metrics.auc >= 0.9"], stored.MetricGates);
        Assert.Equal(["validated"], stored.RequiredTags);
        Assert.Null(await Store.GetPolicyAsync(name, Ct));
        Assert.Equal(Now, (await GetModelAsync(name)).LastUpdatedTimestamp);
    }

    [Fact]
    public async Task CreateApprovalRequest_IsPendingAndReadable()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);

        var created = await Store.CreateApprovalRequestAsync(AliasRequest(name, 1, "prod", 2), Now + 3, Alice, Ct);

        var request = Assert.IsType<ApprovalRequest>(await Store.GetApprovalRequestAsync(created.Id, Ct));
        Assert.Equal((name, 1L, ApprovalStatus.Pending, "carol", 2), (request.ModelName, request.Version, request.Status, request.Requester, request.RequiredApprovals));
        Assert.Equal(new ApprovalTarget(ApprovalTargetKind.Alias, "prod"), request.Target);
        Assert.Equal((Now + 3, (long?)null), (request.CreatedTimestamp, request.DecidedTimestamp));
        Assert.Equal([new GateResult("metrics.auc >= 0.9", true, "auc = 0.93")], request.Gates);
        Assert.Empty(request.Decisions);
        Assert.Equal(AuditResources.Approval(name, created.Id), (await ModelEventsAsync(name, RegistryActions.ApprovalRequested)).Single().Resource);
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.CreateApprovalRequestAsync(AliasRequest(name, 7, "prod"), Now, Alice, Ct));
    }

    [Fact]
    public async Task DecideApproval_TwoDistinctApprovers_ApprovesAndSetsTheAlias()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);
        await CreateVersionAsync(name);
        await Store.SetAliasAsync(name, "prod", 1, Alice, Ct);
        var request = await Store.CreateApprovalRequestAsync(AliasRequest(name, 2, "prod", 2), Now, Alice, Ct);

        var afterFirst = await Store.DecideApprovalAsync(request.Id, Decision("dave"), Now + 1, Alice, Ct);
        var duplicate = await AssertErrorAsync(ErrorCode.ResourceAlreadyExists, () => Store.DecideApprovalAsync(request.Id, Decision("dave"), Now + 2, Alice, Ct));
        Assert.Equal(1, await Store.ResolveAliasAsync(name, "prod", Ct));
        var afterSecond = await Store.DecideApprovalAsync(request.Id, Decision("erin"), Now + 3, Alice, Ct);

        Assert.Equal(ApprovalStatus.Pending, afterFirst.Status);
        Assert.Contains("dave", duplicate.Message, StringComparison.Ordinal);
        Assert.Equal((ApprovalStatus.Approved, (long?)(Now + 3)), (afterSecond.Status, afterSecond.DecidedTimestamp));
        Assert.Equal(["dave", "erin"], afterSecond.Decisions.Select(d => d.Approver).Order(StringComparer.Ordinal));
        Assert.Equal(2, await Store.ResolveAliasAsync(name, "prod", Ct));
        var events = await ModelEventsAsync(name);
        Assert.Equal(
            [RegistryActions.ApprovalDecided, RegistryActions.ApprovalDecided, RegistryActions.AliasSet],
            events.SkipWhile(e => e.Action != RegistryActions.ApprovalRequested).Skip(1).Select(e => e.Action));
        Assert.Equal("""{"version":1}""", events[^1].Before);
        Assert.Equal("""{"version":2}""", events[^1].After);
        Assert.Equal(Now + 3, events[^1].Timestamp);
    }

    [Fact]
    public async Task DecideApproval_StageTarget_TransitionsWithoutArchiving()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);
        await CreateVersionAsync(name);
        await TransitionAsync(name, 1, ModelStages.Production);
        var request = await Store.CreateApprovalRequestAsync(
            new NewApprovalRequest(name, 2, new ApprovalTarget(ApprovalTargetKind.Stage, ModelStages.Production), "carol", null, 1, []), Now, Alice, Ct);

        await Store.DecideApprovalAsync(request.Id, Decision("dave"), Now + 40, Alice, Ct);

        Assert.Equal((ModelStages.Production, Now + 40), ((await GetVersionAsync(name, 2)).CurrentStage, (await GetVersionAsync(name, 2)).LastUpdatedTimestamp));
        Assert.Equal(ModelStages.Production, (await GetVersionAsync(name, 1)).CurrentStage);
        Assert.Equal(Now + 40, (await GetModelAsync(name)).LastUpdatedTimestamp);
        Assert.Equal(RegistryActions.VersionStageChanged, (await ModelEventsAsync(name))[^1].Action);
    }

    [Fact]
    public async Task DecideApproval_Rejection_ClosesTheRequestForFurtherDecisions()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);
        var request = await Store.CreateApprovalRequestAsync(AliasRequest(name, 1, "prod", 2), Now, Alice, Ct);

        var rejected = await Store.DecideApprovalAsync(request.Id, Decision("dave", approve: false), Now + 1, Alice, Ct);
        var late = await AssertErrorAsync(ErrorCode.InvalidParameterValue, () => Store.DecideApprovalAsync(request.Id, Decision("erin"), Now + 2, Alice, Ct));

        Assert.Equal(ApprovalStatus.Rejected, rejected.Status);
        Assert.Equal($"Approval request {request.Id} is already rejected", late.Message);
        Assert.Null(await Store.ResolveAliasAsync(name, "prod", Ct));
        Assert.Single((await Store.GetApprovalRequestAsync(request.Id, Ct))!.Decisions);
    }

    [Fact]
    public async Task DecideApproval_AliasTargetWhoseVersionWasDeleted_ThrowsVersionNotFoundAndRecordsNothing()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);
        var request = await Store.CreateApprovalRequestAsync(AliasRequest(name, 1, "prod"), Now, Alice, Ct);
        await Store.DeleteModelVersionAsync(name, 1, Now, Alice, Ct);

        var error = await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.DecideApprovalAsync(request.Id, Decision("dave"), Now, Alice, Ct));

        Assert.Equal(RegistryErrors.VersionNotFound(name, 1).Message, error.Message);
        var unchanged = Assert.IsType<ApprovalRequest>(await Store.GetApprovalRequestAsync(request.Id, Ct));
        Assert.Equal(ApprovalStatus.Pending, unchanged.Status);
        Assert.Empty(unchanged.Decisions);
    }

    [Fact]
    public async Task SearchApprovalRequests_ByModelAndStatus_NewestFirst()
    {
        var name = await CreateModelAsync();
        await CreateVersionAsync(name);
        var first = await Store.CreateApprovalRequestAsync(AliasRequest(name, 1, "a"), Now, Alice, Ct);
        var second = await Store.CreateApprovalRequestAsync(AliasRequest(name, 1, "b"), Now, Alice, Ct);
        var third = await Store.CreateApprovalRequestAsync(AliasRequest(name, 1, "c"), Now, Alice, Ct);
        await Store.DecideApprovalAsync(second.Id, Decision("dave"), Now, Alice, Ct);

        var (all, allHasMore) = await Store.SearchApprovalRequestsAsync(new ApprovalQuery(name, null, 2, 0), Ct);
        var (pending, _) = await Store.SearchApprovalRequestsAsync(new ApprovalQuery(name, ApprovalStatus.Pending, 10, 0), Ct);

        Assert.Equal([third.Id, second.Id], all.Select(r => r.Id));
        Assert.True(allHasMore);
        Assert.Equal([third.Id, first.Id], pending.Select(r => r.Id));
        Assert.All(pending, r => Assert.Equal(name, r.ModelName));
    }
}
