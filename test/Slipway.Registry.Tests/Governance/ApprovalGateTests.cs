using System.Net;
using Slipway.Registry.Tests.Api;
using static Slipway.Registry.Tests.Governance.GovernanceSetup;

namespace Slipway.Registry.Tests.Governance;

/// <summary>
/// Automatic gates: a request whose metric gate or required tag fails is refused with the condition and what was
/// found, and the gates are checked again when the request is approved.
/// </summary>
public sealed class ApprovalGateTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private const string Mlflow = RegistryClient.Mlflow;
    private readonly RegistryClient _client = fixture.Client;

    [Fact]
    public async Task RequestApproval_GateMetricNotLogged_RefusedNamingGateAndMissingMetric()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client, auc: null);

        var reply = await _client.RequestApprovalAsync(name, new { version = "1", alias = "champion" }, "alice");

        var message = reply.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("metrics.auc >= 0.9", message, StringComparison.Ordinal);
        Assert.Contains("not logged", message, StringComparison.Ordinal);
        Assert.Empty(await _client.AuditAsync($"resource=models/{name}&action=approval.requested"));
    }

    [Fact]
    public async Task RequestApproval_GateMetricBelowThreshold_RefusedWithActualValue()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client, auc: 0.85);

        var reply = await _client.RequestApprovalAsync(name, new { version = "1", alias = "champion" }, "alice");

        var message = reply.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("metrics.auc >= 0.9", message, StringComparison.Ordinal);
        Assert.Contains("0.85", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestApproval_RequiredTagMissing_RefusedNamingTag()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client, owner: null);

        var reply = await _client.RequestApprovalAsync(name, new { version = "1", alias = "champion" }, "alice");

        var message = reply.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("'owner'", message, StringComparison.Ordinal);
        Assert.DoesNotContain("metrics.auc", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestApproval_RequiredTagOnVersionInsteadOfRun_Passes()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client, owner: null);
        (await _client.PostAsync(Mlflow + "model-versions/set-tag", new { name, version = "1", key = "owner", value = "team-ml" }, "alice")).Ok();

        var request = await RequestChampionAsync(_client, name);

        Assert.Equal("pending", Status(request));
    }

    [Fact]
    public async Task Approve_SourceRunMetricDroppedBelowGateAfterRequest_RefusedAtApproval()
    {
        var (name, runId) = await ModelUnderPolicyAsync(_client, requiredApprovals: 1);
        var id = Id(await RequestChampionAsync(_client, name));
        await _client.LogMetricAsync(runId, "auc", 0.5, step: 1);

        var reply = await _client.ApproveAsync(id, "bob");

        Assert.Contains("0.5", reply.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
        Assert.Equal("pending", Status(await GetRequestAsync(_client, id)));
    }
}
