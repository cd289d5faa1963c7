using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Observability.Tests.Infrastructure;
using Slipway.Server.Telemetry;
using Slipway.Storage;
using Slipway.Testing;

namespace Slipway.Observability.Tests.Scraping;

/// <summary>The webhook outbox gauges read the real outbox: a delivery to a subscriber that is down shows as pending.</summary>
[Collection(ObservedServerCollection.Name)]
public sealed class WebhookOutboxMetricsTests(ObservedServerFixture observed)
{
    [Fact]
    public async Task OutboxGauges_SubscriberDown_ReportPendingDeliveryAndItsAge()
    {
        // The gauges refresh every 10 s; the fixture's delivery failed and waits an hour for its retry.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var scrape = await observed.Traffic.ScrapeAsync();
            var pending = Value(scrape, "slipway_webhook_deliveries{status=\"pending\"}");
            var age = Value(scrape, "slipway_webhook_oldest_pending_age_seconds");
            if (pending >= 1 && age > 0)
                return;
            Assert.True(DateTime.UtcNow < deadline, $"The outbox gauges never showed the pending delivery: pending={pending}, age={age}.");
            await Task.Delay(250);
        }
    }

    private static double Value(string scrape, string series)
    {
        var line = scrape.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// The outbox figures count only deliveries the dispatcher will still attempt. Read straight from the server's database
/// rather than from the process-wide gauges, which every server in this test process also refreshes.
/// </summary>
public sealed class WebhookOutboxSnapshotTests
{
    [Fact]
    public async Task ReadAsync_WebhookDeactivated_ItsPendingDeliveriesNoLongerCount()
    {
        await using var server = await SlipwayTestServer.StartAsync(configure: options =>
        {
            options.Registry.Webhooks.AllowLocalAddresses = true;
            options.Registry.Webhooks.PollInterval = TimeSpan.FromMilliseconds(100);
            options.Registry.Webhooks.InitialBackoff = TimeSpan.FromHours(1);
            options.Registry.Webhooks.MaxBackoff = TimeSpan.FromHours(1);
        });
        using var traffic = new ServerTraffic(server);
        var created = await traffic.PostOkAsync("api/slipway/v1/webhooks", new
        {
            name = "down-hook",
            url = $"http://127.0.0.1:{ObservedServerFixture.ClosedPort()}/hook",
            events = new[] { "registered_model.created" },
        });
        var webhook = created.GetProperty("webhook").GetProperty("id").ToString();
        await traffic.PostOkAsync("api/2.0/mlflow/registered-models/create", new { name = "outbox-" + Guid.NewGuid().ToString("N")[..8] });

        var pending = await WaitForAsync(server, s => s.Pending == 1, "the failed delivery pending its retry");
        Assert.True(pending.OldestPendingAge > TimeSpan.Zero);

        await PatchAsync(traffic, webhook, active: false);
        var paused = await WaitForAsync(server, s => s.Pending == 0, "no pending delivery once the webhook is inactive");
        Assert.Equal(TimeSpan.Zero, paused.OldestPendingAge);

        await PatchAsync(traffic, webhook, active: true);
        await WaitForAsync(server, s => s.Pending == 1, "the delivery counted again once the webhook is reactivated");
    }

    private static async Task PatchAsync(ServerTraffic traffic, string webhook, bool active)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"api/slipway/v1/webhooks/{webhook}")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { active }), Encoding.UTF8, "application/json"),
        };
        using var response = await traffic.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"PATCH webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    // The first delivery attempt runs in the background; the PATCH answers once the database holds the new state.
    private static async Task<WebhookOutboxSnapshot> WaitForAsync(SlipwayTestServer server, Func<WebhookOutboxSnapshot, bool> done, string what)
    {
        var factory = server.Services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync();
            var snapshot = await WebhookOutboxSnapshot.ReadAsync(db, DateTimeOffset.UtcNow, CancellationToken.None);
            if (done(snapshot))
                return snapshot;
            Assert.True(DateTime.UtcNow < deadline, $"Never saw {what}: {snapshot}.");
            await Task.Delay(100);
        }
    }
}
