using System.Text.Json;
using Slipway.Registry.Tests.Api;

namespace Slipway.Registry.Tests.Governance;

/// <summary>A model whose version 1 comes from a run with the given metrics and tags, under the example policy.</summary>
internal static class GovernanceSetup
{
    public static Dictionary<string, object> Policy(int requiredApprovals = 2, bool requireModelCard = false) => new()
    {
        ["protected_aliases"] = new[] { "champion" },
        ["protected_stages"] = new[] { "Production" },
        ["required_approvals"] = requiredApprovals,
        ["approver_role"] = "approver",
        ["metric_gates"] = new[] { "metrics.auc >= 0.9" },
        ["required_tags"] = new[] { "owner" },
        ["require_model_card"] = requireModelCard,
    };

    /// <summary>Creates the run, the model, version 1 and the policy; returns the model's name and the run's id.</summary>
    public static async Task<(string Name, string RunId)> ModelUnderPolicyAsync(
        RegistryClient client, double? auc = 0.95, string? owner = "team-ml", int requiredApprovals = 2, bool requireModelCard = false)
    {
        var metrics = auc is { } value ? new Dictionary<string, double> { ["auc"] = value } : null;
        var tags = owner is not null ? new Dictionary<string, string> { ["owner"] = owner } : null;
        var runId = await client.CreateSourceRunAsync(metrics, tags);
        var name = RegistryServerFixture.UniqueName("gov");
        await client.CreateModelAsync(name, user: "alice");
        Assert.Equal("1", await client.CreateVersionAsync(name, runId, user: "alice"));
        (await client.PutPolicyAsync(name, Policy(requiredApprovals, requireModelCard), user: "alice")).Ok();
        return (name, runId);
    }

    /// <summary>Opens an approval request for <c>champion</c> → version 1 as alice; returns the request object.</summary>
    public static async Task<JsonElement> RequestChampionAsync(RegistryClient client, string name, string version = "1") =>
        (await client.RequestApprovalAsync(name, new { version, alias = "champion", comment = "promote after offline eval" }, "alice"))
            .Ok().GetProperty("approval_request");

    public static async Task<JsonElement> GetRequestAsync(RegistryClient client, long id) =>
        (await client.GetAsync($"{RegistryClient.Slipway}approvals/{id}")).Ok().GetProperty("approval_request");

    public static long Id(JsonElement request) => RegistryClient.Number(request.GetProperty("id"));

    public static string Status(JsonElement request) => request.GetProperty("status").GetString()!;
}
