using System.Net;
using Slipway.Registry.Tests.Api;
using static Slipway.Registry.Tests.Governance.GovernanceSetup;

namespace Slipway.Registry.Tests.Governance;

/// <summary>
/// Approval requests over real HTTP: a protected alias or stage changes only when enough distinct approvers (not the
/// requester, holding the policy's role, named by HTTP Basic auth) approve; a rejection closes the request.
/// </summary>
public sealed class ApprovalFlowTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private const string Mlflow = RegistryClient.Mlflow;
    private readonly RegistryClient _client = fixture.Client;

    [Fact]
    public async Task RequestApproval_GatesPass_PendingWithEveryGateListedAsPassed()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);

        var request = await RequestChampionAsync(_client, name);

        Assert.Equal("pending", Status(request));
        Assert.Equal("alice", request.GetProperty("requester").GetString());
        Assert.Equal("1", request.GetProperty("version").GetString());
        Assert.Equal("champion", request.GetProperty("target").GetProperty("alias").GetString());
        Assert.Equal(2, request.GetProperty("required_approvals").GetInt32());
        var gates = request.GetProperty("gates").EnumerateArray().ToList();
        Assert.Equal(2, gates.Count);
        Assert.All(gates, g => Assert.True(g.GetProperty("passed").GetBoolean(), g.GetRawText()));
        Assert.Contains(gates, g => g.GetProperty("condition").GetString() == "metrics.auc >= 0.9" && g.GetProperty("detail").GetString()!.Contains("0.95", StringComparison.Ordinal));
        Assert.Contains(gates, g => g.GetProperty("condition").GetString()!.Contains("owner", StringComparison.Ordinal));
        Assert.Empty(request.GetProperty("decisions").EnumerateArray());
    }

    [Fact]
    public async Task RequestApproval_SameTargetAlreadyPending_AlreadyExists()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);
        await RequestChampionAsync(_client, name);

        var again = await _client.RequestApprovalAsync(name, new { version = "1", alias = "champion" }, "alice");

        again.Error(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
    }

    [Fact]
    public async Task RequestApproval_UnprotectedAlias_InvalidParameter()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);

        var reply = await _client.RequestApprovalAsync(name, new { version = "1", alias = "challenger" }, "alice");

        Assert.Contains("not protected", reply.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_ByRequester_PermissionDenied()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);
        var request = await RequestChampionAsync(_client, name);

        var reply = await _client.ApproveAsync(Id(request), "alice");

        var message = reply.Error(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Contains("alice", message, StringComparison.Ordinal);
        Assert.Equal("pending", Status(await GetRequestAsync(_client, Id(request))));
    }

    [Fact]
    public async Task Approve_UserWithoutApproverRole_PermissionDenied()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);
        var request = await RequestChampionAsync(_client, name);

        var reply = await _client.ApproveAsync(Id(request), "dave");

        Assert.Contains("approver", reply.Error(HttpStatusCode.Forbidden, "PERMISSION_DENIED"), StringComparison.Ordinal);
        Assert.Empty((await GetRequestAsync(_client, Id(request))).GetProperty("decisions").EnumerateArray());
    }

    [Fact]
    public async Task Approve_Anonymous_PermissionDenied()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);
        var request = await RequestChampionAsync(_client, name);

        var reply = await _client.ApproveAsync(Id(request), user: null);

        reply.Error(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Empty((await GetRequestAsync(_client, Id(request))).GetProperty("decisions").EnumerateArray());
    }

    [Fact]
    public async Task Approve_TwoDistinctApprovers_MovesAliasAndAuditsEveryStep()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);
        var id = Id(await RequestChampionAsync(_client, name));

        var first = (await _client.ApproveAsync(id, "bob", "looks good")).Ok().GetProperty("approval_request");
        Assert.Equal("pending", Status(first));
        (await _client.GetAsync($"{Mlflow}registered-models/alias?name={name}&alias=champion")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

        var repeat = await _client.ApproveAsync(id, "bob");
        repeat.Error(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
        Assert.Equal("pending", Status(await GetRequestAsync(_client, id)));

        var second = (await _client.ApproveAsync(id, "carol")).Ok().GetProperty("approval_request");
        Assert.Equal("approved", Status(second));
        Assert.True(second.TryGetProperty("decided_timestamp", out _), second.GetRawText());
        var approvers = second.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("approver").GetString()).ToList();
        Assert.Equal(["bob", "carol"], approvers);
        Assert.Equal("1", await _client.AliasVersionAsync(name, "champion"));

        var decided = await _client.AuditAsync($"resource=models/{name}/approvals/{id}&action=approval.decided");
        Assert.Equal(["bob", "carol"], decided.Select(e => e.GetProperty("actor").GetString()).ToList());
        Assert.Equal("approved", decided[1].GetProperty("after").GetProperty("status").GetString());
        var aliasSet = Assert.Single(await _client.AuditAsync($"resource=models/{name}/aliases/champion&action=model_version_alias.set"));
        Assert.Equal("carol", aliasSet.GetProperty("actor").GetString());
        Assert.Equal(1, aliasSet.GetProperty("after").GetProperty("version").GetInt64());
        var requested = Assert.Single(await _client.AuditAsync($"resource=models/{name}&action=approval.requested"));
        Assert.Equal("alice", requested.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Approve_ProtectedStageRequest_MovesVersionToProduction()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client, requiredApprovals: 1);
        var request = (await _client.RequestApprovalAsync(name, new { version = "1", stage = "production" }, "alice")).Ok().GetProperty("approval_request");
        Assert.Equal("Production", request.GetProperty("target").GetProperty("stage").GetString());

        var approved = (await _client.ApproveAsync(Id(request), "bob")).Ok().GetProperty("approval_request");

        Assert.Equal("approved", Status(approved));
        var version = (await _client.GetAsync($"{Mlflow}model-versions/get?name={name}&version=1")).Ok().GetProperty("model_version");
        Assert.Equal("Production", version.GetProperty("current_stage").GetString());
        var moved = Assert.Single(await _client.AuditAsync($"resource=models/{name}/versions/1&action=model_version.stage_changed"));
        Assert.Equal("bob", moved.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Reject_ByApprover_ClosesRequestAndFurtherApprovalFails()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);
        var id = Id(await RequestChampionAsync(_client, name));

        var rejected = (await _client.RejectAsync(id, "bob", "auc measured on the wrong split")).Ok().GetProperty("approval_request");

        Assert.Equal("rejected", Status(rejected));
        var decision = Assert.Single(rejected.GetProperty("decisions").EnumerateArray());
        Assert.Equal("reject", decision.GetProperty("decision").GetString());
        Assert.Equal("auc measured on the wrong split", decision.GetProperty("comment").GetString());
        (await _client.ApproveAsync(id, "carol")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Equal("rejected", Status(await GetRequestAsync(_client, id)));
        (await _client.GetAsync($"{Mlflow}registered-models/alias?name={name}&alias=champion")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task SearchApprovals_ByModelAndStatus_ReturnsMatchingRequestsOnly()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);
        var rejected = Id(await RequestChampionAsync(_client, name));
        (await _client.RejectAsync(rejected, "bob")).Ok();
        var pending = Id(await RequestChampionAsync(_client, name));

        var pendingPage = (await _client.GetAsync($"{RegistryClient.Slipway}approvals?model={name}&status=pending")).Ok();
        var allPage = (await _client.GetAsync($"{RegistryClient.Slipway}approvals?model={name}")).Ok();

        Assert.Equal([pending], pendingPage.GetProperty("approval_requests").EnumerateArray().Select(Id));
        Assert.Equal(new[] { rejected, pending }.Order(), allPage.GetProperty("approval_requests").EnumerateArray().Select(Id).Order());
        (await _client.GetAsync($"{RegistryClient.Slipway}approvals?status=open")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }
}
