using System.Text.Json;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Registry.Domain;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Compliance;

/// <summary>
/// Webhooks and their outbox. Every test deletes the webhooks it creates (which deletes their deliveries), so the
/// global due-delivery queries see only the deliveries of the test that runs.
/// </summary>
public abstract partial class RegistryStoreCompliance
{
    private async Task<Webhook> CreateWebhookAsync(List<Webhook> created, string? modelName, params string[] events)
    {
        var webhook = await Store.CreateWebhookAsync(new NewWebhook(Unique("hook"), "https://hooks.example/" + created.Count, events, modelName, "s3cret"), Now, Alice, Ct);
        created.Add(webhook);
        return webhook;
    }

    private async Task DeleteWebhooksAsync(List<Webhook> created)
    {
        foreach (var webhook in created)
            await Store.DeleteWebhookAsync(webhook.Id, Alice, Ct);
    }

    private async Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(Webhook webhook)
    {
        var (items, hasMore) = await Store.ListDeliveriesAsync(webhook.Id, 100, 0, Ct);
        Assert.False(hasMore);
        return items;
    }

    [Fact]
    public async Task WebhookEvent_EnqueuesOneDeliveryPerMatchingActiveSubscription()
    {
        var created = new List<Webhook>();
        try
        {
            var name = await CreateModelAsync();
            await CreateVersionAsync(name);
            var aliasOnly = await CreateWebhookAsync(created, name, RegistryActions.AliasSet);
            var everything = await CreateWebhookAsync(created, name, "*");
            var allModels = await CreateWebhookAsync(created, null, "*");
            var inactive = await CreateWebhookAsync(created, name, "*");
            await Store.SetWebhookActiveAsync(inactive.Id, false, Alice, Ct);
            var otherModel = await CreateWebhookAsync(created, Unique(), "*");
            var otherEvent = await CreateWebhookAsync(created, name, RegistryActions.VersionCreated);

            await Store.SetAliasAsync(name, "champion", 1, new AuditContext("bob", "req-42"), Ct);
            await Store.SetRegisteredModelTagAsync(name, new Tag("k", "v"), Alice, Ct);

            foreach (var subscribed in new[] { aliasOnly, everything, allModels })
            {
                var delivery = Assert.Single(await DeliveriesAsync(subscribed));
                Assert.Equal((RegistryActions.AliasSet, DeliveryStatus.Pending, 0), (delivery.Event, delivery.Status, delivery.Attempts));
                Assert.Equal(delivery.CreatedTimestamp, delivery.NextAttemptTimestamp);
                using var payload = JsonDocument.Parse(delivery.Payload);
                var root = payload.RootElement;
                Assert.Equal(RegistryActions.AliasSet, root.GetProperty("event").GetString());
                Assert.Equal(("bob", "req-42"), (root.GetProperty("actor").GetString(), root.GetProperty("request_id").GetString()));
                Assert.Equal(AuditResources.Alias(name, "champion"), root.GetProperty("resource").GetString());
                Assert.Equal(name, root.GetProperty("model_name").GetString());
                Assert.Equal(1, root.GetProperty("version").GetInt64());
                Assert.Equal(JsonValueKind.Null, root.GetProperty("before").ValueKind);
                Assert.Equal(1, root.GetProperty("after").GetProperty("version").GetInt64());
                Assert.Equal(delivery.CreatedTimestamp, root.GetProperty("timestamp").GetInt64());
            }
            foreach (var unsubscribed in new[] { inactive, otherModel, otherEvent })
                Assert.Empty(await DeliveriesAsync(unsubscribed));
        }
        finally
        {
            await DeleteWebhooksAsync(created);
        }
    }

    [Fact]
    public async Task Deliveries_RetriedThenDeliveredOrFailed_FollowTheirAttempts()
    {
        var created = new List<Webhook>();
        try
        {
            const long t = Now + 1_000;
            var name = await CreateModelAsync();
            var webhook = await CreateWebhookAsync(created, name, RegistryActions.VersionCreated);
            await CreateVersionAsync(name, t);
            await CreateVersionAsync(name, t + 1);

            Assert.DoesNotContain(await Store.GetDueDeliveriesAsync(t - 1, 10, Ct), d => d.Delivery.WebhookId == webhook.Id);
            var due = (await Store.GetDueDeliveriesAsync(t + 1, 10, Ct)).Where(d => d.Delivery.WebhookId == webhook.Id).ToList();
            Assert.Equal(2, due.Count);
            Assert.Equal((webhook.Url, "s3cret"), (due[0].Url, due[0].Secret));
            var (first, second) = (due[0].Delivery, due[1].Delivery);
            Assert.True(first.NextAttemptTimestamp < second.NextAttemptTimestamp);

            Assert.True(await Store.RecordDeliveryAttemptAsync(first.Id, due[0].ClaimedUntil, false, 500, "boom", t + 2, t + 100, Ct));
            Assert.True(await Store.RecordDeliveryAttemptAsync(second.Id, due[1].ClaimedUntil, false, null, "timeout", t + 2, null, Ct));

            Assert.Empty(await Store.GetDueDeliveriesAsync(t + 50, 10, Ct));
            Assert.Equal(t + 100, await Store.GetNextDeliveryTimeAsync(Ct));
            var retry = Assert.Single(await Store.GetDueDeliveriesAsync(t + 100, 10, Ct), d => d.Delivery.WebhookId == webhook.Id);
            Assert.True(await Store.RecordDeliveryAttemptAsync(first.Id, retry.ClaimedUntil, true, 200, null, t + 100, null, Ct));
            var log = await DeliveriesAsync(webhook);
            Assert.Equal([second.Id, first.Id], log.Select(d => d.Id));
            Assert.Equal((DeliveryStatus.Failed, 1, (int?)null, "timeout"), (log[0].Status, log[0].Attempts, log[0].LastStatusCode, log[0].LastError));
            Assert.Equal((DeliveryStatus.Delivered, 2, (int?)200, (long?)(t + 100)), (log[1].Status, log[1].Attempts, log[1].LastStatusCode, log[1].DeliveredTimestamp));
            Assert.Null(await Store.GetNextDeliveryTimeAsync(Ct));
        }
        finally
        {
            await DeleteWebhooksAsync(created);
        }
    }

    [Fact]
    public async Task Webhooks_CreateDeactivateDelete_AreAuditedWithoutTheirSecret()
    {
        var webhook = await Store.CreateWebhookAsync(new NewWebhook("ops", "https://hooks.example/ops", ["*"], null, "top-secret"), Now, Alice, Ct);

        Assert.True(webhook.Active);
        Assert.Contains(await Store.ListWebhooksAsync(Ct), w => w.Id == webhook.Id);
        var deactivated = await Store.SetWebhookActiveAsync(webhook.Id, false, Alice, Ct);
        Assert.False(deactivated.Active);
        Assert.False((await Store.GetWebhookAsync(webhook.Id, Ct))!.Active);
        await Store.DeleteWebhookAsync(webhook.Id, Alice, Ct);

        Assert.Null(await Store.GetWebhookAsync(webhook.Id, Ct));
        var (events, _) = await Audit.SearchAsync(new AuditQuery(AuditResources.Webhook(webhook.Id), null, null, 10, 0), Ct);
        Assert.Equal([RegistryActions.WebhookCreated, RegistryActions.WebhookUpdated, RegistryActions.WebhookDeleted], events.Select(e => e.Action));
        Assert.Contains("\"active\":false", events[1].After, StringComparison.Ordinal);
        Assert.All(events, e => Assert.DoesNotContain("top-secret", (e.Before ?? "") + e.After, StringComparison.Ordinal));
        await AssertErrorAsync(ErrorCode.ResourceDoesNotExist, () => Store.SetWebhookActiveAsync(webhook.Id, true, Alice, Ct));
    }
}
