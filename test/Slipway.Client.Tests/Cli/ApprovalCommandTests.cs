using System.Text.Json;
using Slipway.Client.Tests.Client;
using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Cli;

/// <summary><c>slipway models policy|approvals …</c> against a real server, with users given by <c>--user</c>.</summary>
public sealed class ApprovalCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly string _uri = fixture.BaseAddress.ToString();

    [Fact]
    public async Task ApprovalsRequestThenApprove_SelfApprovalRefusedApproverMovesAlias()
    {
        var scenario = await GovernanceScenario.CreateAsync(fixture.Client, "cli-approve", auc: 0.97);
        var policy = await RunAsAsync(ServerFixture.Requester,
            "models", "policy", "set", scenario.Name, "--protect-alias", GovernanceScenario.Champion, "--gate", "metrics.auc >= 0.9");

        var direct = await RunAsAsync(ServerFixture.Requester, "models", "alias", "set", scenario.Name, GovernanceScenario.Champion, scenario.Version);
        var request = await RunAsAsync(ServerFixture.Requester,
            "models", "approvals", "request", scenario.Name, "--version", scenario.Version, "--alias", GovernanceScenario.Champion, "--comment", "ship it", "--json");
        var id = JsonDocument.Parse(request.Out).RootElement.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var self = await RunAsAsync(ServerFixture.Requester, "models", "approvals", "approve", id);
        var approve = await RunAsAsync(ServerFixture.Approver, "models", "approvals", "approve", id, "--comment", "ok");

        Assert.Equal(0, policy.ExitCode);
        Assert.Contains("metrics.auc >= 0.9", policy.Out, StringComparison.Ordinal);
        Assert.Equal(1, direct.ExitCode);
        Assert.StartsWith("error: PERMISSION_DENIED: ", direct.Error, StringComparison.Ordinal);
        Assert.Equal(0, request.ExitCode);
        Assert.Equal(1, self.ExitCode);
        Assert.StartsWith("error: PERMISSION_DENIED: ", self.Error, StringComparison.Ordinal);
        Assert.Equal(0, approve.ExitCode);
        Assert.Contains($"Request #{id} is approved", approve.Out, StringComparison.Ordinal);
        Assert.Contains(ServerFixture.Approver, approve.Out, StringComparison.Ordinal);
        var champion = await fixture.Client.GetModelVersionByAliasAsync(scenario.Name, GovernanceScenario.Champion);
        Assert.Equal(scenario.Version, champion.Version);
    }

    [Fact]
    public async Task ApprovalsRequest_Human_PrintsIdAndGateResults()
    {
        var scenario = await GovernanceScenario.CreateAsync(fixture.Client, "cli-request", auc: 0.93);
        await fixture.Client.SetApprovalPolicyAsync(scenario.Name, GovernanceScenario.Policy());

        var result = await RunAsAsync(ServerFixture.Requester, "models", "approvals", "request", scenario.Name, "--version", scenario.Version, "--stage", "Production");
        var listed = await RunAsAsync(ServerFixture.Approver, "models", "approvals", "list", "--model", scenario.Name, "--status", "pending");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"Opened approval request #\d+: stage Production → version 1", result.Out);
        Assert.Contains("metrics.auc >= 0.9", result.Out, StringComparison.Ordinal);
        Assert.Contains("passed", result.Out, StringComparison.Ordinal);
        Assert.Contains("0.93", result.Out, StringComparison.Ordinal);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains(ServerFixture.Requester, listed.Out, StringComparison.Ordinal);
        Assert.Contains("0/1", listed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovalsReject_Approver_RequestRejectedAndListedByStatus()
    {
        var scenario = await GovernanceScenario.CreateAsync(fixture.Client, "cli-reject", auc: 0.95);
        await fixture.Client.SetApprovalPolicyAsync(scenario.Name, GovernanceScenario.Policy());
        using var alice = fixture.CreateClient(ServerFixture.Requester);
        var request = await alice.RequestApprovalAsync(scenario.Name, scenario.Version, ApprovalTarget.ForStage("Production"));
        var id = request.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var rejected = await RunAsAsync(ServerFixture.Approver, "models", "approvals", "reject", id, "--comment", "needs a card");
        var listed = await RunAsAsync(ServerFixture.Approver, "models", "approvals", "list", "--model", scenario.Name, "--status", "rejected", "--json");

        Assert.Equal(0, rejected.ExitCode);
        Assert.Contains($"Request #{id} is rejected", rejected.Out, StringComparison.Ordinal);
        var item = Assert.Single(JsonDocument.Parse(listed.Out).RootElement.EnumerateArray());
        Assert.Equal(request.Id, item.GetProperty("id").GetInt64());
        Assert.Equal("needs a card", item.GetProperty("decisions")[0].GetProperty("comment").GetString());
    }

    [Fact]
    public async Task ApprovalsRequest_AliasAndStageBoth_ExitsTwo()
    {
        var result = await RunAsAsync(ServerFixture.Requester, "models", "approvals", "request", "iris", "--version", "1", "--alias", "a", "--stage", "Production");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--alias", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyGetAndDelete_AfterSet_ShowsThenRemovesPolicy()
    {
        var scenario = await GovernanceScenario.CreateAsync(fixture.Client, "cli-policy", auc: 0.95);
        await RunAsAsync(ServerFixture.Requester, "models", "policy", "set", scenario.Name, "--protect-stage", "Production", "--required-approvals", "2", "--require-model-card");

        var shown = await RunAsAsync(ServerFixture.Requester, "models", "policy", "get", scenario.Name, "--json");
        var deleted = await RunAsAsync(ServerFixture.Requester, "models", "policy", "delete", scenario.Name);
        var after = await RunAsAsync(ServerFixture.Requester, "models", "policy", "get", scenario.Name);

        var policy = JsonDocument.Parse(shown.Out).RootElement.GetProperty("policy");
        Assert.Equal(2, policy.GetProperty("required_approvals").GetInt32());
        Assert.True(policy.GetProperty("require_model_card").GetBoolean());
        Assert.Equal("Production", policy.GetProperty("protected_stages")[0].GetString());
        Assert.Equal(0, deleted.ExitCode);
        Assert.Contains("no approval policy", after.Out, StringComparison.Ordinal);
    }

    private Task<CliResult> RunAsAsync(string user, params string[] args) =>
        CliRunner.RunAsync([.. args, "--user", user, "--tracking-uri", _uri]);
}
