using System.Text.Json;

namespace Slipway.Security.Tests.Resources;

/// <summary>
/// Approvals with authentication on: deciding needs the policy's approver role (a user's stored role; admins hold
/// every role) and READ on the model; requests are listed only to those who may read their model.
/// </summary>
public sealed class ApprovalPermissionTests(NoPermissionsServer server) : IClassFixture<NoPermissionsServer>
{
    private const string Governance = "api/slipway/v1/";

    [Fact]
    public async Task Approve_NeedsTheApproverRoleAndReadOnTheModel()
    {
        var (name, id) = await PendingChampionRequestAsync();

        // carol holds the approver role but may not read the model yet.
        (await server.Carol.PostAsync($"{Governance}approvals/{id}/approve", new { comment = "lgtm" })).Forbidden();
        (await server.Alice.GrantAsync("registered-models", name, "bob", "READ")).Ok();
        (await server.Alice.GrantAsync("registered-models", name, "carol", "READ")).Ok();
        // bob may read the model but holds no approver role.
        var refused = await server.Bob.PostAsync($"{Governance}approvals/{id}/approve", new { comment = "lgtm" });
        refused.Forbidden();
        Assert.Contains("approver", refused.Json.GetProperty("message").GetString());

        var approved = (await server.Carol.PostAsync($"{Governance}approvals/{id}/approve", new { comment = "lgtm" })).Ok();

        Assert.Equal("approved", approved.GetProperty("approval_request").GetProperty("status").GetString());
        var alias = (await server.Alice.GetAsync($"api/2.0/mlflow/registered-models/alias?name={name}&alias=champion")).Ok();
        Assert.Equal("1", alias.GetProperty("model_version").GetProperty("version").GetString());
    }

    [Fact]
    public async Task Reject_WithoutTheApproverRole_IsForbidden_AndAdminsHoldEveryRole()
    {
        var (name, id) = await PendingChampionRequestAsync();
        (await server.Alice.GrantAsync("registered-models", name, "bob", "MANAGE")).Ok();

        (await server.Bob.PostAsync($"{Governance}approvals/{id}/reject", new { comment = "no" })).Forbidden();
        var rejected = (await server.Admin.PostAsync($"{Governance}approvals/{id}/reject", new { comment = "no" })).Ok();

        Assert.Equal("rejected", rejected.GetProperty("approval_request").GetProperty("status").GetString());
    }

    [Fact]
    public async Task SearchApprovals_ShowsOnlyRequestsOnReadableModels()
    {
        var (_, id) = await PendingChampionRequestAsync();

        (await server.Bob.GetAsync($"{Governance}approvals/{id}")).Forbidden();
        Assert.DoesNotContain(id, Ids((await server.Bob.GetAsync(Governance + "approvals?max_results=1000")).Ok()));
        Assert.Contains(id, Ids((await server.Alice.GetAsync(Governance + "approvals?max_results=1000")).Ok()));
    }

    /// <summary>alice's model with version 1, a policy protecting <c>champion</c> (one approval, no gates) and her request.</summary>
    private async Task<(string Name, long Id)> PendingChampionRequestAsync()
    {
        var name = await ModelPermissionTests.CreateModelWithVersionAsync(server.Alice);
        (await server.Alice.SendAsync(HttpMethod.Put, $"{Governance}models/{name}/policy", new
        {
            protected_aliases = new[] { "champion" },
            required_approvals = 1,
            approver_role = "approver",
        })).Ok();
        var request = (await server.Alice.PostAsync($"{Governance}models/{name}/approvals", new { version = "1", alias = "champion" })).Ok();
        return (name, Number(request.GetProperty("approval_request").GetProperty("id")));
    }

    private static List<long> Ids(JsonElement page) =>
        page.TryGetProperty("approval_requests", out var items) ? items.EnumerateArray().Select(r => Number(r.GetProperty("id"))).ToList() : [];

    private static long Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : value.GetInt64();
}
