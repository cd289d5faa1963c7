using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Registry.Domain;
using Slipway.Testing;
using static Slipway.Registry.Tests.Webhooks.WebhookApi;

namespace Slipway.Registry.Tests.Webhooks;

/// <summary>
/// Which subscriptions get which events. Deliveries are enqueued in the transaction of the registry change, so the
/// delivery logs are complete as soon as the registry call returns; the listener then confirms what was sent.
/// </summary>
public sealed class WebhookSubscriptionTests
{
    [Fact]
    public async Task Subscribe_EventAndModelFilters_OnlyMatchingEventsDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await StartServerAsync();
        using var client = server.CreateClient();
        await CreateModelAsync(client, "m1");
        await CreateModelAsync(client, "m2");
        var versions = await CreateWebhookAsync(client, "versions", receiver.Url("/versions"), ["model_version.created"]);
        var aliases = await CreateWebhookAsync(client, "aliases", receiver.Url("/aliases"), ["model_version_alias.set", "model_version_alias.deleted"]);
        var allOfM1 = await CreateWebhookAsync(client, "all-m1", receiver.Url("/all-m1"), ["*"], modelName: "m1");
        var stagesOfM2 = await CreateWebhookAsync(client, "stages-m2", receiver.Url("/stages-m2"), ["model_version.stage_changed"], modelName: "m2");

        await CreateVersionAsync(client, "m1");
        await CreateVersionAsync(client, "m2");
        await PostAsync(client, "api/2.0/mlflow/registered-models/alias", new { name = "m1", alias = "champion", version = "1" });
        await ReadOkAsync(await SendAsync(client, HttpMethod.Delete, "api/2.0/mlflow/registered-models/alias", new { name = "m1", alias = "champion" }));
        await PostAsync(client, "api/2.0/mlflow/model-versions/transition-stage", new { name = "m2", version = "1", stage = "Staging", archive_existing_versions = false });

        string[] expectVersions = ["model_version.created m1", "model_version.created m2"];
        string[] expectAliases = ["model_version_alias.deleted m1", "model_version_alias.set m1"];
        string[] expectAllOfM1 = ["model_version.created m1", "model_version_alias.deleted m1", "model_version_alias.set m1"];
        string[] expectStagesOfM2 = ["model_version.stage_changed m2"];
        Assert.Equal(expectVersions, await LoggedAsync(client, versions.Id));
        Assert.Equal(expectAliases, await LoggedAsync(client, aliases.Id));
        Assert.Equal(expectAllOfM1, await LoggedAsync(client, allOfM1.Id));
        Assert.Equal(expectStagesOfM2, await LoggedAsync(client, stagesOfM2.Id));

        await receiver.WaitForAsync(8);
        Assert.Equal(expectVersions, Received(receiver, "/versions"));
        Assert.Equal(expectAliases, Received(receiver, "/aliases"));
        Assert.Equal(expectAllOfM1, Received(receiver, "/all-m1"));
        Assert.Equal(expectStagesOfM2, Received(receiver, "/stages-m2"));
    }

    [Fact]
    public async Task Subscribe_InactiveWebhook_GetsNoDeliveriesUntilReactivated()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await StartServerAsync();
        using var client = server.CreateClient();
        await CreateModelAsync(client, "m");
        var active = await CreateWebhookAsync(client, "active", receiver.Url("/active"), ["*"]);
        var paused = await CreateWebhookAsync(client, "paused", receiver.Url("/paused"), ["*"]);

        var patched = await ReadOkAsync(await SendAsync(client, HttpMethod.Patch, $"{WebhooksPath}/{paused.Id}", new { active = false }));
        Assert.False(patched.GetProperty("webhook").GetProperty("active").GetBoolean());
        await CreateVersionAsync(client, "m");

        Assert.Empty(await DeliveriesAsync(client, paused.Id));
        await WaitForDeliveriesAsync(client, active.Id, d => d.Count == 1 && Status(d[0]) == DeliveryStatus.Delivered);
        Assert.Empty(receiver.RequestsTo("/paused"));

        await ReadOkAsync(await SendAsync(client, HttpMethod.Patch, $"{WebhooksPath}/{paused.Id}", new { active = true }));
        await CreateVersionAsync(client, "m");
        var resumed = await WaitForDeliveriesAsync(client, paused.Id, d => d.Count == 1 && Status(d[0]) == DeliveryStatus.Delivered);
        Assert.Equal("2", Text(resumed[0].GetProperty("payload").GetProperty("version")));
    }

    [Fact]
    public async Task Delete_Webhook_NoLongerListedOrDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await StartServerAsync();
        using var client = server.CreateClient();
        await CreateModelAsync(client, "m");
        var kept = await CreateWebhookAsync(client, "kept", receiver.Url("/kept"), ["*"]);
        var deleted = await CreateWebhookAsync(client, "deleted", receiver.Url("/deleted"), ["*"]);

        using (var response = await client.DeleteAsync($"{WebhooksPath}/{deleted.Id}"))
            await ReadOkAsync(response);
        await CreateVersionAsync(client, "m");

        using (var response = await client.GetAsync($"{WebhooksPath}/{deleted.Id}/deliveries"))
            await AssertErrorAsync(response, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        using (var response = await client.DeleteAsync($"{WebhooksPath}/{deleted.Id}"))
            await AssertErrorAsync(response, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await WaitForDeliveriesAsync(client, kept.Id, d => d.Count == 1 && Status(d[0]) == DeliveryStatus.Delivered);
        Assert.Empty(receiver.RequestsTo("/deleted"));
    }

    [Theory]
    [InlineData("""{"name":"h","url":"not a url","events":["*"]}""")]
    [InlineData("""{"name":"h","url":"ftp://example.com/hook","events":["*"]}""")]
    [InlineData("""{"name":"h","url":"http://user:password@example.com/hook","events":["*"]}""")]
    [InlineData("""{"name":"h","events":["*"]}""")]
    [InlineData("""{"url":"http://example.com/hook","events":["*"]}""")]
    [InlineData("""{"name":"h","url":"http://example.com/hook","events":["model.exploded"]}""")]
    [InlineData("""{"name":"h","url":"http://example.com/hook","events":[]}""")]
    [InlineData("""{"name":"h","url":"http://example.com/hook","events":["*"],"secret":"too-short"}""")]
    public async Task Create_InvalidWebhook_InvalidParameterValue(string body)
    {
        await using var server = await SlipwayTestServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.PostAsync(WebhooksPath, new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Create_UnknownModel_ResourceDoesNotExist()
    {
        await using var server = await SlipwayTestServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.PostAsync(WebhooksPath, new StringContent(
            """{"name":"h","url":"http://example.com/hook","events":["*"],"model_name":"no-such-model"}""", Encoding.UTF8, "application/json"));

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var error = JsonDocument.Parse(text).RootElement;
        Assert.Equal(errorCode, error.GetProperty("error_code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    /// <summary>"event model" of each logged delivery, sorted.</summary>
    private static async Task<string[]> LoggedAsync(HttpClient client, string webhookId) =>
        [.. (await DeliveriesAsync(client, webhookId))
            .Select(d => $"{d.GetProperty("event").GetString()} {d.GetProperty("payload").GetProperty("model_name").GetString()}")
            .Order(StringComparer.Ordinal)];

    private static string[] Received(WebhookReceiver receiver, string path) =>
        [.. receiver.RequestsTo(path)
            .Select(r => $"{r.Header("X-Slipway-Event")} {JsonDocument.Parse(r.Body).RootElement.GetProperty("model_name").GetString()}")
            .Order(StringComparer.Ordinal)];
}
