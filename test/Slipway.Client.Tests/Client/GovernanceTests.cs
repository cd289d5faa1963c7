using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Client;

/// <summary>Approval policies and requests through the SDK, with users told apart by HTTP Basic credentials.</summary>
public sealed class GovernanceTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly SlipwayClient _alice = fixture.CreateClient(ServerFixture.Requester);
    private readonly SlipwayClient _bob = fixture.CreateClient(ServerFixture.Approver);
    private readonly SlipwayClient _carol = fixture.CreateClient(ServerFixture.SecondApprover);

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
        _carol.Dispose();
    }

    [Fact]
    public async Task ApprovalFlow_RequestSelfApproveThenApproverApproves_AliasMovesAndAuditNamesActors()
    {
        var scenario = await GovernanceScenario.CreateAsync(_alice, "gov-flow", auc: 0.95);
        await _alice.SetApprovalPolicyAsync(scenario.Name, GovernanceScenario.Policy());

        var direct = await Assert.ThrowsAsync<SlipwayApiException>(() => _alice.SetModelAliasAsync(scenario.Name, GovernanceScenario.Champion, scenario.Version));
        var request = await _alice.RequestApprovalAsync(scenario.Name, scenario.Version, ApprovalTarget.ForAlias(GovernanceScenario.Champion), "ready");
        var selfApproval = await Assert.ThrowsAsync<SlipwayApiException>(() => _alice.ApproveAsync(request.Id));
        var approved = await _bob.ApproveAsync(request.Id, "looks good");
        var champion = await _alice.GetModelVersionByAliasAsync(scenario.Name, GovernanceScenario.Champion);

        Assert.Equal(ApiErrorCodes.PermissionDenied, direct.ErrorCode);
        Assert.Equal(ApprovalStatuses.Pending, request.Status);
        Assert.Equal(ServerFixture.Requester, request.Requester);
        Assert.Equal(GovernanceScenario.Champion, request.Target.Alias);
        Assert.Null(request.Target.Stage);
        var gate = Assert.Single(request.Gates);
        Assert.True(gate.Passed);
        Assert.Contains("0.95", gate.Detail, StringComparison.Ordinal);
        Assert.Equal(ApiErrorCodes.PermissionDenied, selfApproval.ErrorCode);
        Assert.Equal(403, (int)selfApproval.StatusCode);
        Assert.Equal(ApprovalStatuses.Approved, approved.Status);
        Assert.NotNull(approved.DecidedTimestamp);
        var decision = Assert.Single(approved.Decisions);
        Assert.Equal((ServerFixture.Approver, "approve", "looks good"), (decision.Approver, decision.Decision, decision.Comment));
        Assert.Equal(scenario.Version, champion.Version);

        var events = new List<AuditEvent>();
        await foreach (var auditEvent in _alice.SearchAllAuditEventsAsync($"models/{scenario.Name}"))
            events.Add(auditEvent);
        Assert.Contains(events, e => e.Actor == ServerFixture.Requester && e.Action == "approval.requested");
        Assert.Contains(events, e => e.Actor == ServerFixture.Approver && e.Action == "approval.decided");
        // The approval applies the alias as the approver.
        Assert.Contains(events, e => e.Action == "model_version_alias.set" && e.Actor == ServerFixture.Approver
            && e.Resource == $"models/{scenario.Name}/aliases/{GovernanceScenario.Champion}");
        Assert.All(events, e => Assert.StartsWith($"models/{scenario.Name}", e.Resource, StringComparison.Ordinal));
        Assert.Equal(events.OrderBy(e => e.Id).Select(e => e.Id), events.Select(e => e.Id));
    }

    [Fact]
    public async Task RequestApprovalAsync_MetricGateFails_InvalidParameterNamesConditionAndValue()
    {
        var scenario = await GovernanceScenario.CreateAsync(_alice, "gov-gate", auc: 0.5);
        await _alice.SetApprovalPolicyAsync(scenario.Name, GovernanceScenario.Policy());

        var error = await Assert.ThrowsAsync<SlipwayApiException>(
            () => _alice.RequestApprovalAsync(scenario.Name, scenario.Version, ApprovalTarget.ForStage(ModelStages.Production)));

        Assert.Equal(ApiErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains("metrics.auc >= 0.9", error.Message, StringComparison.Ordinal);
        Assert.Contains("0.5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApproveAsync_UserWithoutApproverRole_PermissionDenied()
    {
        var scenario = await GovernanceScenario.CreateAsync(_alice, "gov-role", auc: 0.95);
        await _alice.SetApprovalPolicyAsync(scenario.Name, GovernanceScenario.Policy());
        var request = await _alice.RequestApprovalAsync(scenario.Name, scenario.Version, ApprovalTarget.ForAlias(GovernanceScenario.Champion));
        using var outsider = fixture.CreateClient("mallory");

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => outsider.ApproveAsync(request.Id));

        Assert.Equal(ApiErrorCodes.PermissionDenied, error.ErrorCode);
        Assert.Equal(ApprovalStatuses.Pending, (await _alice.GetApprovalRequestAsync(request.Id)).Status);
    }

    [Fact]
    public async Task RejectAsync_ApproverRejects_StageUnchanged()
    {
        var scenario = await GovernanceScenario.CreateAsync(_alice, "gov-reject", auc: 0.95);
        await _alice.SetApprovalPolicyAsync(scenario.Name, GovernanceScenario.Policy());
        var request = await _alice.RequestApprovalAsync(scenario.Name, scenario.Version, ApprovalTarget.ForStage(ModelStages.Production));

        var rejected = await _bob.RejectAsync(request.Id, "not yet");

        Assert.Equal(ApprovalStatuses.Rejected, rejected.Status);
        Assert.Equal("reject", Assert.Single(rejected.Decisions).Decision);
        Assert.Equal(ModelStages.None, (await _alice.GetModelVersionAsync(scenario.Name, scenario.Version)).CurrentStage);
    }

    [Fact]
    public async Task ApproveAsync_TwoApprovalsRequired_StageMovesOnlyAfterSecond()
    {
        var scenario = await GovernanceScenario.CreateAsync(_alice, "gov-two", auc: 0.95);
        await _alice.SetApprovalPolicyAsync(scenario.Name, GovernanceScenario.Policy(requiredApprovals: 2));
        var request = await _alice.RequestApprovalAsync(scenario.Name, scenario.Version, ApprovalTarget.ForStage(ModelStages.Production));

        var afterFirst = await _bob.ApproveAsync(request.Id);
        var stageAfterFirst = (await _alice.GetModelVersionAsync(scenario.Name, scenario.Version)).CurrentStage;
        var afterSecond = await _carol.ApproveAsync(request.Id);
        var stageAfterSecond = (await _alice.GetModelVersionAsync(scenario.Name, scenario.Version)).CurrentStage;

        Assert.Equal(ApprovalStatuses.Pending, afterFirst.Status);
        Assert.Equal(ModelStages.None, stageAfterFirst);
        Assert.Equal(ApprovalStatuses.Approved, afterSecond.Status);
        Assert.Equal(ModelStages.Production, stageAfterSecond);
    }

    [Fact]
    public async Task ApprovalPolicy_SetGetDelete_RoundTrips()
    {
        var scenario = await GovernanceScenario.CreateAsync(_alice, "gov-policy", auc: 0.95);

        var before = await _alice.GetApprovalPolicyAsync(scenario.Name);
        var stored = await _alice.SetApprovalPolicyAsync(scenario.Name, GovernanceScenario.Policy() with { ProtectedStages = ["production"], RequiredTags = ["model_card"] });
        var read = await _alice.GetApprovalPolicyAsync(scenario.Name);
        await _alice.DeleteApprovalPolicyAsync(scenario.Name);
        var after = await _alice.GetApprovalPolicyAsync(scenario.Name);

        Assert.Null(before);
        Assert.Equal([ModelStages.Production], stored.ProtectedStages);
        Assert.Equal([GovernanceScenario.Champion], read?.ProtectedAliases);
        Assert.Equal(["metrics.auc >= 0.9"], read?.MetricGates);
        Assert.Equal(["model_card"], read?.RequiredTags);
        Assert.Equal(ApprovalPolicy.DefaultApproverRole, read?.ApproverRole);
        Assert.Null(after);
    }

    [Fact]
    public async Task SearchApprovalRequestsAsync_ModelAndStatusFilters_ReturnOnlyMatches()
    {
        var scenario = await GovernanceScenario.CreateAsync(_alice, "gov-search", auc: 0.95);
        await _alice.SetApprovalPolicyAsync(scenario.Name, GovernanceScenario.Policy());
        var aliasRequest = await _alice.RequestApprovalAsync(scenario.Name, scenario.Version, ApprovalTarget.ForAlias(GovernanceScenario.Champion));
        var stageRequest = await _alice.RequestApprovalAsync(scenario.Name, scenario.Version, ApprovalTarget.ForStage(ModelStages.Production));
        await _bob.ApproveAsync(stageRequest.Id);

        var pending = await _alice.SearchApprovalRequestsAsync(scenario.Name, ApprovalStatuses.Pending);
        var all = await _alice.SearchApprovalRequestsAsync(scenario.Name);

        Assert.Equal([aliasRequest.Id], pending.Items.Select(r => r.Id));
        Assert.Equal([aliasRequest.Id, stageRequest.Id], all.Items.Select(r => r.Id).Order());
        Assert.All(all.Items, r => Assert.Equal(scenario.Name, r.ModelName));
    }
}
