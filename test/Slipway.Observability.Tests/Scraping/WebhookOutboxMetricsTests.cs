using System.Globalization;
using Slipway.Observability.Tests.Infrastructure;

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
