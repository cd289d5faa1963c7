using System.Net;
using Slipway.Registry.Tests.Api;
using static Slipway.Registry.Tests.Governance.GovernanceSetup;

namespace Slipway.Registry.Tests.Governance;

/// <summary>
/// A policy's protected aliases and stages refuse MLflow's plain alias, stage and delete calls, while everything
/// unprotected still works; the policy itself is read, replaced and removed over REST.
/// </summary>
public sealed class ProtectedTargetTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private const string Mlflow = RegistryClient.Mlflow;
    private readonly RegistryClient _client = fixture.Client;

    [Fact]
    public async Task SetAlias_ProtectedAliasThroughMlflowApi_PermissionDeniedNamingApprovals()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);

        var reply = await _client.SetAliasAsync(name, "champion", "1", user: "alice");

        var message = reply.Error(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Contains("approvals", message, StringComparison.Ordinal);
        Assert.Contains("champion", message, StringComparison.Ordinal);
        var get = await _client.GetAsync($"{Mlflow}registered-models/alias?name={name}&alias=champion");
        get.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task DeleteRegisteredModel_UnderPolicy_PermissionDeniedUntilPolicyRemoved()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);

        var refused = await _client.SendAsync(HttpMethod.Delete, Mlflow + "registered-models/delete", new { name }, "alice");

        Assert.Contains("policy", refused.Error(HttpStatusCode.Forbidden, "PERMISSION_DENIED"), StringComparison.Ordinal);
        (await _client.GetAsync($"{Mlflow}registered-models/get?name={name}")).Ok();
        (await _client.SendAsync(HttpMethod.Delete, $"/api/slipway/v1/models/{name}/policy", new { }, "alice")).Ok();
        (await _client.SendAsync(HttpMethod.Delete, Mlflow + "registered-models/delete", new { name }, "alice")).Ok();
        (await _client.GetAsync($"{Mlflow}registered-models/get?name={name}")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task DeleteAlias_ProtectedAlias_PermissionDenied()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);

        var reply = await _client.SendAsync(HttpMethod.Delete, Mlflow + "registered-models/alias", new { name, alias = "champion" }, "alice");

        reply.Error(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
    }

    [Fact]
    public async Task TransitionStage_ToProtectedStage_PermissionDeniedAndStageUnchanged()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);

        var reply = await _client.PostAsync(Mlflow + "model-versions/transition-stage",
            new { name, version = "1", stage = "Production", archive_existing_versions = false }, "alice");

        var message = reply.Error(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Contains("approvals", message, StringComparison.Ordinal);
        var version = (await _client.GetAsync($"{Mlflow}model-versions/get?name={name}&version=1")).Ok().GetProperty("model_version");
        Assert.Equal("None", version.GetProperty("current_stage").GetString());
    }

    [Fact]
    public async Task TransitionStage_OutOfProtectedStage_PermissionDenied()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client, requiredApprovals: 1);
        var request = (await _client.RequestApprovalAsync(name, new { version = "1", stage = "Production" }, "alice")).Ok().GetProperty("approval_request");
        (await _client.ApproveAsync(Id(request), "carol")).Ok();

        var reply = await _client.PostAsync(Mlflow + "model-versions/transition-stage", new { name, version = "1", stage = "Archived" }, "alice");

        reply.Error(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        (await _client.SendAsync(HttpMethod.Delete, Mlflow + "model-versions/delete", new { name, version = "1" }, "alice"))
            .Error(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        var version = (await _client.GetAsync($"{Mlflow}model-versions/get?name={name}&version=1")).Ok().GetProperty("model_version");
        Assert.Equal("Production", version.GetProperty("current_stage").GetString());
    }

    [Fact]
    public async Task TransitionStage_ToUnprotectedStage_Succeeds()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);

        var moved = (await _client.PostAsync(Mlflow + "model-versions/transition-stage", new { name, version = "1", stage = "Staging" }, "alice")).Ok();

        Assert.Equal("Staging", moved.GetProperty("model_version").GetProperty("current_stage").GetString());
    }

    [Fact]
    public async Task SetAlias_UnprotectedAlias_Succeeds()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);

        (await _client.SetAliasAsync(name, "challenger", "1", user: "alice")).Ok();

        Assert.Equal("1", await _client.AliasVersionAsync(name, "challenger"));
    }

    [Fact]
    public async Task GetPolicy_AfterSet_ReturnsNormalizedPolicy()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);

        var policy = (await _client.GetAsync($"{RegistryClient.Slipway}models/{name}/policy")).Ok().GetProperty("policy");

        Assert.Equal(["champion"], policy.GetProperty("protected_aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["Production"], policy.GetProperty("protected_stages").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(2, policy.GetProperty("required_approvals").GetInt32());
        Assert.Equal("approver", policy.GetProperty("approver_role").GetString());
        Assert.Equal(["metrics.auc >= 0.9"], policy.GetProperty("metric_gates").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["owner"], policy.GetProperty("required_tags").EnumerateArray().Select(a => a.GetString()));
        Assert.False(policy.GetProperty("require_model_card").GetBoolean());
    }

    [Fact]
    public async Task SetPolicy_InvalidGate_InvalidParameter()
    {
        var name = RegistryServerFixture.UniqueName("gov");
        await _client.CreateModelAsync(name);
        var policy = Policy();
        policy["metric_gates"] = new[] { "metrics.auc >>= 0.9" };

        var reply = await _client.PutPolicyAsync(name, policy, "alice");

        Assert.Contains("Invalid gate", reply.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletePolicy_WithoutRequestBody_RemovesProtection()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client);

        var deleted = await _client.SendAsync(HttpMethod.Delete, $"{RegistryClient.Slipway}models/{name}/policy", body: null, user: "alice");

        deleted.Ok();
        var policy = (await _client.GetAsync($"{RegistryClient.Slipway}models/{name}/policy")).Ok();
        Assert.False(policy.TryGetProperty("policy", out _), policy.GetRawText());
        (await _client.SetAliasAsync(name, "champion", "1", "alice")).Ok();
    }
}
