using Slipway.Registry.Domain;

namespace Slipway.Storage.Compliance;

/// <summary>
/// The outbox as several replicas' dispatchers see it: taking due deliveries claims them, so concurrent takers never
/// get the same delivery, and a claimed delivery whose attempt is never recorded (its replica died) is due again once
/// the lease has passed.
/// </summary>
public abstract partial class RegistryStoreCompliance
{
    [Fact]
    public async Task GetDueDeliveries_FourConcurrentDispatchers_EachDeliveryTakenOnce()
    {
        var created = new List<Webhook>();
        try
        {
            const long t = Now + 10_000;
            var name = await CreateModelAsync();
            await CreateWebhookAsync(created, name, RegistryActions.VersionCreated);
            for (var i = 0; i < 12; i++)
                await CreateVersionAsync(name, t + i);

            var taken = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Store.GetDueDeliveriesAsync(t + 100, 32, Ct))));

            var ids = taken.SelectMany(batch => batch.Select(d => d.Delivery.Id)).ToList();
            Assert.Equal(12, ids.Count);
            Assert.Equal(12, ids.Distinct().Count());
            Assert.Empty(await Store.GetDueDeliveriesAsync(t + 100, 32, Ct));
        }
        finally
        {
            await DeleteWebhooksAsync(created);
        }
    }

    [Fact]
    public async Task GetDueDeliveries_ClaimedButNeverRecorded_DueAgainAfterTheLease()
    {
        var created = new List<Webhook>();
        try
        {
            const long t = Now + 20_000;
            var name = await CreateModelAsync();
            var webhook = await CreateWebhookAsync(created, name, RegistryActions.VersionCreated);
            await CreateVersionAsync(name, t);

            var first = Assert.Single(await Store.GetDueDeliveriesAsync(t + 1, 10, Ct));
            // The store's delivery lease (two minutes, docs/scale-out.md).
            const long lease = 120_000;
            Assert.Empty(await Store.GetDueDeliveriesAsync(t + lease, 10, Ct));
            var again = Assert.Single(await Store.GetDueDeliveriesAsync(t + 2 + lease, 10, Ct));

            Assert.Equal(first.Delivery.Id, again.Delivery.Id);
            Assert.Equal((DeliveryStatus.Pending, 0), (again.Delivery.Status, again.Delivery.Attempts));
            Assert.Equal(webhook.Id, again.Delivery.WebhookId);
        }
        finally
        {
            await DeleteWebhooksAsync(created);
        }
    }
}
