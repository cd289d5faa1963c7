using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Client;

/// <summary>Model cards, lineage, the audit log and webhooks through the SDK.</summary>
public sealed class GovernanceRecordsTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly SlipwayClient _alice = fixture.CreateClient(ServerFixture.Requester);

    public void Dispose() => _alice.Dispose();

    [Fact]
    public async Task ModelCard_SetThenGetAndExport_FieldsAndAuthorRoundTrip()
    {
        var scenario = await GovernanceScenario.CreateAsync(_alice, "card", auc: 0.95);
        var before = await _alice.GetModelCardAsync(scenario.Name, scenario.Version);

        await _alice.SetModelCardAsync(scenario.Name, scenario.Version, new ModelCard
        {
            IntendedUse = "Classify iris species for the botany demo.",
            TrainingData = "UCI iris, 150 rows.",
            Limitations = "Three species only.",
            Owners = ["ml-team", "alice"],
            EvaluationMetrics = [new CardMetric("auc", 0.95, "holdout")],
        });
        var card = await _alice.GetModelCardAsync(scenario.Name, scenario.Version);
        var markdown = await _alice.GetModelCardMarkdownAsync(scenario.Name, scenario.Version);

        Assert.Null(before);
        Assert.NotNull(card);
        Assert.Equal("Classify iris species for the botany demo.", card.IntendedUse);
        Assert.Equal(["ml-team", "alice"], card.Owners);
        Assert.Equal(new CardMetric("auc", 0.95, "holdout"), Assert.Single(card.EvaluationMetrics));
        Assert.Equal(ServerFixture.Requester, card.UpdatedBy);
        Assert.True(card.UpdatedTimestamp > 0);
        Assert.Contains("Classify iris species for the botany demo.", markdown, StringComparison.Ordinal);
        Assert.Contains("Three species only.", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetModelCardAsync_UnknownVersion_ThrowsNotFound()
    {
        var scenario = await GovernanceScenario.CreateAsync(_alice, "card-missing", auc: 0.95);

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => _alice.GetModelCardAsync(scenario.Name, "99"));

        Assert.True(error.IsNotFound);
    }

    [Fact]
    public async Task GetLineageAsync_VersionFromRun_GraphHasRunExperimentDatasetAndParent()
    {
        var scenario = await GovernanceScenario.CreateAsync(_alice, "lineage", auc: 0.95);

        var graph = await _alice.GetLineageAsync(scenario.Name, scenario.Version);

        var root = graph.Nodes[0];
        Assert.Equal("model_version", root.Type);
        var run = Assert.Single(graph.Nodes, n => n.Id == "run:" + scenario.RunId);
        Assert.Contains(graph.Edges, e => e.From == run.Id && e.To == root.Id && e.Relation == "produced");
        var dataset = Assert.Single(graph.Nodes, n => n.Type == "dataset");
        Assert.Equal(GovernanceScenario.Dataset, dataset.Label);
        Assert.Contains(graph.Edges, e => e.From == dataset.Id && e.To == run.Id && e.Relation == "input_of");
        var experiment = Assert.Single(graph.Nodes, n => n.Type == "experiment");
        Assert.Equal(scenario.ExperimentName, experiment.Label);
        Assert.Contains(graph.Edges, e => e.From == experiment.Id && e.To == run.Id && e.Relation == "contains");
        Assert.Contains(graph.Edges, e => e.To == run.Id && e.Relation == "parent_of");
    }

    [Fact]
    public async Task SearchAuditEventsAsync_ActionAndSinceFilters_ReturnOnlyMatchingEvents()
    {
        var name = Names.Unique("audit-filter");
        await _alice.CreateRegisteredModelAsync(name);
        await _alice.SetRegisteredModelTagAsync(name, "k", "v1");
        var events = await _alice.SearchAuditEventsAsync($"models/{name}");
        var afterCreate = events.Items[0].Timestamp + 1;
        await Task.Delay(5);
        await _alice.SetRegisteredModelTagAsync(name, "k", "v2");

        var tagEvents = await _alice.SearchAuditEventsAsync($"models/{name}", "registered_model_tag.set");
        var recent = await _alice.SearchAuditEventsAsync($"models/{name}", since: afterCreate);
        var firstOnly = await _alice.SearchAuditEventsAsync($"models/{name}", maxResults: 1);

        Assert.Equal("registered_model.created", events.Items[0].Action);
        Assert.Null(events.Items[0].Before);
        Assert.NotNull(events.Items[0].After);
        Assert.Equal(2, tagEvents.Items.Count);
        Assert.All(tagEvents.Items, e => Assert.Equal(ServerFixture.Requester, e.Actor));
        Assert.DoesNotContain(recent.Items, e => e.Action == "registered_model.created");
        Assert.Single(firstOnly.Items);
        Assert.True(firstOnly.HasMore);
    }

    [Fact]
    public async Task Webhooks_CreateListPauseDelete_StateFollows()
    {
        var name = Names.Unique("hook");
        var model = Names.Unique("hook-model");
        await _alice.CreateRegisteredModelAsync(model);

        var created = await _alice.CreateWebhookAsync(name, "http://127.0.0.1:9/hook", ["model_version.created"], modelName: model);
        var listed = await _alice.ListWebhooksAsync();
        var paused = await _alice.SetWebhookActiveAsync(created.Webhook.Id, active: false);
        var deliveries = await _alice.ListWebhookDeliveriesAsync(created.Webhook.Id);
        await _alice.DeleteWebhookAsync(created.Webhook.Id);
        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => _alice.GetWebhookAsync(created.Webhook.Id));

        Assert.False(string.IsNullOrEmpty(created.Secret));
        Assert.True(created.Webhook.Active);
        Assert.Equal(["model_version.created"], created.Webhook.Events);
        Assert.Equal(model, created.Webhook.ModelName);
        Assert.Contains(listed, w => w.Id == created.Webhook.Id && w.Name == name);
        Assert.False(paused.Active);
        Assert.Empty(deliveries);
        Assert.True(error.IsNotFound);
    }
}
