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

    [Fact]
    public async Task RecordDeliveryAttempt_ClaimTakenOverAfterTheLease_OnlyTheCurrentClaimerRecords()
    {
        var created = new List<Webhook>();
        try
        {
            const long t = Now + 30_000;
            const long lease = 120_000;
            var name = await CreateModelAsync();
            var webhook = await CreateWebhookAsync(created, name, RegistryActions.VersionCreated);
            await CreateVersionAsync(name, t);

            // Replica A claims and is slow; its lease passes and replica B claims the same delivery.
            var slow = Assert.Single(await Store.GetDueDeliveriesAsync(t + 1, 10, Ct));
            var takeover = Assert.Single(await Store.GetDueDeliveriesAsync(t + 2 + lease, 10, Ct));
            Assert.NotEqual(slow.ClaimedUntil, takeover.ClaimedUntil);

            // B records its attempt; A's late answer is fenced off and records nothing, before or after B's.
            Assert.True(await Store.RecordDeliveryAttemptAsync(takeover.Delivery.Id, takeover.ClaimedUntil, false, 500, "from B", t + 3 + lease, t + 10 * lease, Ct));
            Assert.False(await Store.RecordDeliveryAttemptAsync(slow.Delivery.Id, slow.ClaimedUntil, true, 200, null, t + 4 + lease, null, Ct));

            var delivery = Assert.Single(await DeliveriesAsync(webhook));
            Assert.Equal((DeliveryStatus.Pending, 1, (int?)500, "from B", t + 10 * lease),
                (delivery.Status, delivery.Attempts, delivery.LastStatusCode, delivery.LastError, delivery.NextAttemptTimestamp));
        }
        finally
        {
            await DeleteWebhooksAsync(created);
        }
    }

    [Fact]
    public async Task RecordDeliveryAttempt_LeasePassedButNotTakenOver_StillRecordedOnce()
    {
        var created = new List<Webhook>();
        try
        {
            const long t = Now + 40_000;
            var name = await CreateModelAsync();
            var webhook = await CreateWebhookAsync(created, name, RegistryActions.VersionCreated);
            await CreateVersionAsync(name, t);
            var claim = Assert.Single(await Store.GetDueDeliveriesAsync(t + 1, 10, Ct));

            Assert.True(await Store.RecordDeliveryAttemptAsync(claim.Delivery.Id, claim.ClaimedUntil, true, 200, null, t + 500_000, null, Ct));
            // The same claim answering twice (a re-sent record) does not count a second attempt.
            Assert.False(await Store.RecordDeliveryAttemptAsync(claim.Delivery.Id, claim.ClaimedUntil, true, 200, null, t + 500_001, null, Ct));

            var delivery = Assert.Single(await DeliveriesAsync(webhook));
            Assert.Equal((DeliveryStatus.Delivered, 1), (delivery.Status, delivery.Attempts));
        }
        finally
        {
            await DeleteWebhooksAsync(created);
        }
    }
}
