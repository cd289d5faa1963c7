using System.Net;
using System.Text.Json;

namespace Slipway.Registry.Tests.Api;

/// <summary>
/// Every registry mutation and tracking deletion leaves one audit event with its actor (HTTP Basic user, else
/// <c>anonymous</c>, else a run's own user for run deletes), action, resource and before/after values.
/// </summary>
public sealed class AuditTrailTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private const string Mlflow = RegistryClient.Mlflow;
    private const string Slipway = RegistryClient.Slipway;
    private readonly RegistryClient _client = fixture.Client;

    [Fact]
    public async Task SearchAudit_EveryRegistryMutation_RecordedWithActorActionResourceBeforeAndAfter()
    {
        var name = RegistryServerFixture.UniqueName("audit");
        var model = $"models/{name}";
        var v1 = $"{model}/versions/1";
        var v2 = $"{model}/versions/2";

        await _client.CreateModelAsync(name, user: "alice");
        (await _client.PostAsync(Mlflow + "registered-models/set-tag", new { name, key = "team", value = "ml" })).Ok();
        (await _client.SendAsync(HttpMethod.Patch, Mlflow + "registered-models/update", new { name, description = "first" }, "alice")).Ok();
        await _client.CreateVersionAsync(name, user: "bob");
        (await _client.PostAsync(Mlflow + "model-versions/set-tag", new { name, version = "1", key = "k", value = "v" }, "bob")).Ok();
        (await _client.SendAsync(HttpMethod.Patch, Mlflow + "model-versions/update", new { name, version = "1", description = "v1 notes" }, "bob")).Ok();
        (await _client.PostAsync(Mlflow + "model-versions/transition-stage", new { name, version = "1", stage = "Staging" }, "carol")).Ok();
        (await _client.SetAliasAsync(name, "candidate", "1", "carol")).Ok();
        (await _client.SendAsync(HttpMethod.Delete, Mlflow + "registered-models/alias", new { name, alias = "candidate" }, "carol")).Ok();
        (await _client.SendAsync(HttpMethod.Put, $"{Slipway}models/{name}/versions/1/card", new { intended_use = "demo" }, "dave")).Ok();
        (await _client.PutPolicyAsync(name, new { protected_aliases = new[] { "champion" } }, "alice")).Ok();
        (await _client.SendAsync(HttpMethod.Delete, $"{Slipway}models/{name}/policy", new { }, "alice")).Ok();
        (await _client.SendAsync(HttpMethod.Delete, Mlflow + "model-versions/delete-tag", new { name, version = "1", key = "k" }, "bob")).Ok();
        (await _client.SendAsync(HttpMethod.Delete, Mlflow + "registered-models/delete-tag", new { name, key = "team" })).Ok();
        await _client.CreateVersionAsync(name, user: "bob");
        (await _client.SendAsync(HttpMethod.Delete, Mlflow + "model-versions/delete", new { name, version = "2" }, "bob")).Ok();
        (await _client.SendAsync(HttpMethod.Delete, Mlflow + "registered-models/delete", new { name }, "alice")).Ok();

        var events = await _client.AuditAsync("resource=" + model);

        (string Action, string Resource, string Actor)[] expected =
        [
            ("registered_model.created", model, "alice"),
            ("registered_model_tag.set", model, "anonymous"),
            ("registered_model.updated", model, "alice"),
            ("model_version.created", v1, "bob"),
            ("model_version_tag.set", v1, "bob"),
            ("model_version.updated", v1, "bob"),
            ("model_version.stage_changed", v1, "carol"),
            ("model_version_alias.set", $"{model}/aliases/candidate", "carol"),
            ("model_version_alias.deleted", $"{model}/aliases/candidate", "carol"),
            ("model_card.set", v1, "dave"),
            ("approval_policy.set", model, "alice"),
            ("approval_policy.deleted", model, "alice"),
            ("model_version_tag.deleted", v1, "bob"),
            ("registered_model_tag.deleted", model, "anonymous"),
            ("model_version.created", v2, "bob"),
            ("model_version.deleted", v2, "bob"),
            ("registered_model.deleted", model, "alice"),
        ];
        Assert.Equal(expected, events.Select(e => (Text(e, "action"), Text(e, "resource"), Text(e, "actor"))).ToArray());
        Assert.All(events, e => Assert.True(e.GetProperty("timestamp").GetInt64() > 0));
        Assert.Equal(events.Select(e => e.GetProperty("id").GetInt64()).Order(), events.Select(e => e.GetProperty("id").GetInt64()));

        Assert.Equal(JsonValueKind.Null, events[0].GetProperty("before").ValueKind);
        Assert.Equal(name, events[0].GetProperty("after").GetProperty("name").GetString());
        Assert.Equal("ml", events[1].GetProperty("after").GetProperty("value").GetString());
        Assert.Equal("first", events[2].GetProperty("after").GetProperty("description").GetString());
        Assert.Equal("None", events[6].GetProperty("before").GetProperty("current_stage").GetString());
        Assert.Equal("Staging", events[6].GetProperty("after").GetProperty("current_stage").GetString());
        Assert.Equal(1, events[8].GetProperty("before").GetProperty("version").GetInt64());
        Assert.Equal(JsonValueKind.Null, events[8].GetProperty("after").ValueKind);
        Assert.Equal("k", events[12].GetProperty("before").GetProperty("key").GetString());
        Assert.Equal(JsonValueKind.Null, events[12].GetProperty("after").ValueKind);
        Assert.Equal(JsonValueKind.Object, events[15].GetProperty("before").ValueKind);
        Assert.Equal(JsonValueKind.Null, events[15].GetProperty("after").ValueKind);
        Assert.Equal(JsonValueKind.Null, events[16].GetProperty("after").ValueKind);
    }

    [Fact]
    public async Task SearchAudit_Rename_RecordedUnderNewNameWithOldNameBefore()
    {
        var name = RegistryServerFixture.UniqueName("old");
        var newName = RegistryServerFixture.UniqueName("new");
        await _client.CreateModelAsync(name);

        (await _client.PostAsync(Mlflow + "registered-models/rename", new { name, new_name = newName }, "alice")).Ok();

        var renamed = Assert.Single(await _client.AuditAsync($"resource=models/{newName}&action=registered_model.renamed"));
        Assert.Equal("alice", Text(renamed, "actor"));
        Assert.Equal(name, renamed.GetProperty("before").GetProperty("name").GetString());
        Assert.Equal(newName, renamed.GetProperty("after").GetProperty("name").GetString());
    }

    [Fact]
    public async Task DeleteRun_AnonymousRequest_AuditedWithRunUserAsActor()
    {
        var experimentId = await _client.CreateExperimentAsync(RegistryServerFixture.UniqueName("exp"));
        var runId = await _client.CreateRunAsync(experimentId, userId: "ursula");

        (await _client.PostAsync(Mlflow + "runs/delete", new { run_id = runId })).Ok();

        var deleted = Assert.Single(await _client.AuditAsync($"resource=runs/{runId}"));
        Assert.Equal("run.deleted", Text(deleted, "action"));
        Assert.Equal("ursula", Text(deleted, "actor"));
        Assert.Equal("active", deleted.GetProperty("before").GetProperty("lifecycle_stage").GetString());
        Assert.Equal("deleted", deleted.GetProperty("after").GetProperty("lifecycle_stage").GetString());
    }

    [Fact]
    public async Task DeleteRun_NamedUser_AuditedWithThatUser()
    {
        var experimentId = await _client.CreateExperimentAsync(RegistryServerFixture.UniqueName("exp"));
        var runId = await _client.CreateRunAsync(experimentId, userId: "ursula");

        (await _client.PostAsync(Mlflow + "runs/delete", new { run_id = runId }, "bob")).Ok();

        var deleted = Assert.Single(await _client.AuditAsync($"resource=runs/{runId}&action=run.deleted"));
        Assert.Equal("bob", Text(deleted, "actor"));
    }

    [Fact]
    public async Task CreateModelVersion_AnonymousWithSourceRun_AuditedWithTheRunsUser()
    {
        var experimentId = await _client.CreateExperimentAsync(RegistryServerFixture.UniqueName("exp"));
        var runId = await _client.CreateRunAsync(experimentId, userId: "ursula");
        var name = RegistryServerFixture.UniqueName("model");
        await _client.CreateModelAsync(name);

        (await _client.PostAsync(Mlflow + "model-versions/create", new { name, source = $"mlflow-artifacts:/{experimentId}/{runId}/artifacts/model", run_id = runId })).Ok();

        var created = Assert.Single(await _client.AuditAsync($"resource=models/{name}/versions/1&action=model_version.created"));
        Assert.Equal("ursula", Text(created, "actor"));
    }

    [Fact]
    public async Task DeleteExperiment_Audited()
    {
        var experimentId = await _client.CreateExperimentAsync(RegistryServerFixture.UniqueName("exp"));

        (await _client.PostAsync(Mlflow + "experiments/delete", new { experiment_id = experimentId }, "alice")).Ok();

        var deleted = Assert.Single(await _client.AuditAsync($"resource=experiments/{experimentId}"));
        Assert.Equal("experiment.deleted", Text(deleted, "action"));
        Assert.Equal("alice", Text(deleted, "actor"));
        Assert.Equal("deleted", deleted.GetProperty("after").GetProperty("lifecycle_stage").GetString());
    }

    private static string Text(JsonElement e, string property) => e.GetProperty(property).GetString()!;
}
