using System.Net;
using Slipway.Registry.Tests.Api;
using static Slipway.Registry.Tests.Governance.GovernanceSetup;

namespace Slipway.Registry.Tests.Governance;

/// <summary>Model cards: JSON round trip, Markdown export, absence, and the <c>require_model_card</c> gate.</summary>
public sealed class ModelCardTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private const string Slipway = RegistryClient.Slipway;
    private readonly RegistryClient _client = fixture.Client;

    private static readonly object Card = new
    {
        intended_use = "Rank churn risk for retention offers.",
        training_data = "CRM snapshot 2024-Q4, 1.2M customers.",
        evaluation_metrics = new object[]
        {
            new { name = "auc", value = 0.95, dataset = "holdout-2025-01" },
            new { name = "f1", value = 0.81, dataset = "holdout-2025-01" },
        },
        limitations = "Not validated for business accounts.",
        owners = new[] { "alice", "team-ml" },
    };

    [Fact]
    public async Task SetModelCard_ThenGet_RoundTripsEveryFieldAndRecordsUser()
    {
        var name = await ModelWithVersionAsync();

        var put = (await _client.SendAsync(HttpMethod.Put, CardPath(name), Card, "carol")).Ok().GetProperty("model_card");
        var card = (await _client.GetAsync(CardPath(name))).Ok().GetProperty("model_card");

        Assert.Equal(put.GetRawText(), card.GetRawText());
        Assert.Equal("Rank churn risk for retention offers.", card.GetProperty("intended_use").GetString());
        Assert.Equal("CRM snapshot 2024-Q4, 1.2M customers.", card.GetProperty("training_data").GetString());
        Assert.Equal("Not validated for business accounts.", card.GetProperty("limitations").GetString());
        Assert.Equal(["alice", "team-ml"], card.GetProperty("owners").EnumerateArray().Select(o => o.GetString()));
        var metrics = card.GetProperty("evaluation_metrics").EnumerateArray().ToList();
        Assert.Equal(2, metrics.Count);
        Assert.Equal("auc", metrics[0].GetProperty("name").GetString());
        Assert.Equal(0.95, metrics[0].GetProperty("value").GetDouble());
        Assert.Equal("holdout-2025-01", metrics[0].GetProperty("dataset").GetString());
        Assert.Equal("carol", card.GetProperty("updated_by").GetString());
        Assert.True(card.GetProperty("updated_timestamp").GetInt64() > 0);
        var audited = Assert.Single(await _client.AuditAsync($"resource=models/{name}/versions/1&action=model_card.set"));
        Assert.Equal("carol", audited.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task SetModelCard_Twice_SecondReplacesFirst()
    {
        var name = await ModelWithVersionAsync();
        (await _client.SendAsync(HttpMethod.Put, CardPath(name), Card, "carol")).Ok();

        (await _client.SendAsync(HttpMethod.Put, CardPath(name), new { intended_use = "Replaced." }, "bob")).Ok();

        var card = (await _client.GetAsync(CardPath(name))).Ok().GetProperty("model_card");
        Assert.Equal("Replaced.", card.GetProperty("intended_use").GetString());
        Assert.False(card.TryGetProperty("limitations", out _), card.GetRawText());
        Assert.Empty(card.GetProperty("evaluation_metrics").EnumerateArray());
        Assert.Equal("bob", card.GetProperty("updated_by").GetString());
    }

    [Fact]
    public async Task ExportModelCard_Markdown_ContainsEveryFieldAndOneRowPerMetric()
    {
        var name = await ModelWithVersionAsync();
        (await _client.SendAsync(HttpMethod.Put, CardPath(name), Card, "carol")).Ok();

        using var response = await _client.Http.GetAsync(CardPath(name) + ".md");
        var markdown = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"# Model card: {name} version 1", markdown, StringComparison.Ordinal);
        Assert.Contains("Rank churn risk for retention offers.", markdown, StringComparison.Ordinal);
        Assert.Contains("CRM snapshot 2024-Q4, 1.2M customers.", markdown, StringComparison.Ordinal);
        Assert.Contains("Not validated for business accounts.", markdown, StringComparison.Ordinal);
        Assert.Contains("alice, team-ml", markdown, StringComparison.Ordinal);
        Assert.Contains("carol", markdown, StringComparison.Ordinal);
        Assert.Contains("| auc | 0.95 | holdout-2025-01 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| f1 | 0.81 | holdout-2025-01 |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetModelCard_NoCard_NotFound()
    {
        var name = await ModelWithVersionAsync();

        (await _client.GetAsync(CardPath(name))).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _client.GetAsync(CardPath(name) + ".md")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task SetModelCard_UnknownVersion_NotFound()
    {
        var name = await ModelWithVersionAsync();

        var reply = await _client.SendAsync(HttpMethod.Put, $"{Slipway}models/{name}/versions/9/card", Card, "carol");

        reply.Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task SetModelCard_MetricWithoutName_InvalidParameter()
    {
        var name = await ModelWithVersionAsync();

        var reply = await _client.SendAsync(HttpMethod.Put, CardPath(name), new { evaluation_metrics = new[] { new { value = 0.5 } } }, "carol");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        (await _client.GetAsync(CardPath(name))).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task RequestApproval_RequireModelCardWithoutCard_RefusedThenPassesOnceCardExists()
    {
        var (name, _) = await ModelUnderPolicyAsync(_client, requireModelCard: true);

        var refused = await _client.RequestApprovalAsync(name, new { version = "1", alias = "champion" }, "alice");
        Assert.Contains("model card", refused.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);

        (await _client.SendAsync(HttpMethod.Put, CardPath(name), Card, "alice")).Ok();
        var request = await RequestChampionAsync(_client, name);

        Assert.Equal("pending", Status(request));
        var gate = Assert.Single(request.GetProperty("gates").EnumerateArray(), g => g.GetProperty("condition").GetString() == "model card present");
        Assert.True(gate.GetProperty("passed").GetBoolean());
    }

    private async Task<string> ModelWithVersionAsync()
    {
        var name = RegistryServerFixture.UniqueName("card");
        await _client.CreateModelAsync(name);
        await _client.CreateVersionAsync(name);
        return name;
    }

    private static string CardPath(string name) => $"{Slipway}models/{name}/versions/1/card";
}
