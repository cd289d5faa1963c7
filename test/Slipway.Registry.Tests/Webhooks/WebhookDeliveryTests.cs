using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Registry.Domain;
using Slipway.Registry.Webhooks;
using static Slipway.Registry.Tests.Webhooks.WebhookApi;

namespace Slipway.Registry.Tests.Webhooks;

/// <summary>The dispatcher end to end: a real server sends to a real listener; assertions poll the delivery log.</summary>
public sealed class WebhookDeliveryTests
{
    [Fact]
    public async Task Dispatch_VersionCreated_PostsSignedPayloadWithHeaders()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await StartServerAsync();
        using var client = server.CreateClient();
        await CreateModelAsync(client, "m");
        var (id, secret) = await CreateWebhookAsync(client, "ci", receiver.Url("/hook"), ["model_version.created"]);

        await CreateVersionAsync(client, "m");

        var request = Assert.Single(await receiver.WaitForAsync(1));
        var deliveries = await WaitForDeliveriesAsync(client, id, d => d.Count == 1 && Status(d[0]) == DeliveryStatus.Delivered);
        var delivery = deliveries[0];
        Assert.Equal("/hook", request.Path);
        Assert.Equal("model_version.created", request.Header("X-Slipway-Event"));
        Assert.Equal(Text(delivery.GetProperty("id")), request.Header("X-Slipway-Delivery"));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("Slipway-Webhooks/1", request.Header("User-Agent"));
        var timestamp = long.Parse(request.Header("X-Slipway-Timestamp"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds());

        var signature = request.Header("X-Slipway-Signature");
        Assert.True(WebhookSigner.Verify(secret, timestamp, request.Body, signature), $"signature {signature} does not verify");
        Assert.False(WebhookSigner.Verify(secret + "-wrong", timestamp, request.Body, signature));
        var altered = (byte[])request.Body.Clone();
        altered[^1] = (byte)' ';
        Assert.False(WebhookSigner.Verify(secret, timestamp, altered, signature));

        var payload = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("model_version.created", payload.GetProperty("event").GetString());
        Assert.Equal("m", payload.GetProperty("model_name").GetString());
        Assert.Equal("1", Text(payload.GetProperty("version")));
        Assert.Equal(JsonValueKind.Number, payload.GetProperty("timestamp").ValueKind);
        foreach (var field in new[] { "actor", "request_id", "resource", "before" })
            Assert.True(payload.TryGetProperty(field, out _), $"payload has no '{field}': {payload}");
        Assert.Equal(JsonValueKind.Object, payload.GetProperty("after").ValueKind);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(request.Body), JsonNode.Parse(delivery.GetProperty("payload").GetRawText())),
            "the body sent differs from the payload in the delivery log");

        Assert.Equal(1, Attempts(delivery));
        Assert.Equal("200", OptionalText(delivery, "last_status_code"));
        Assert.NotNull(OptionalText(delivery, "delivered_timestamp"));
    }

    [Fact]
    public async Task Dispatch_SubscriberFailsTwice_DeliveredOnThirdAttempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(n => n <= 2 ? 500 : 200);
        await using var server = await StartServerAsync(maxAttempts: 5);
        using var client = server.CreateClient();
        await CreateModelAsync(client, "m");
        var (id, secret) = await CreateWebhookAsync(client, "flaky", receiver.Url("/hook"), ["model_version.created"]);

        await CreateVersionAsync(client, "m");

        var deliveries = await WaitForDeliveriesAsync(client, id, d => d.Count == 1 && Status(d[0]) != DeliveryStatus.Pending);
        Assert.Equal(DeliveryStatus.Delivered, Status(deliveries[0]));
        Assert.Equal(3, Attempts(deliveries[0]));
        Assert.Equal("200", OptionalText(deliveries[0], "last_status_code"));
        var requests = receiver.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal(Text(deliveries[0].GetProperty("id")), r.Header("X-Slipway-Delivery"));
            Assert.Equal(requests[0].Body, r.Body);
            var timestamp = long.Parse(r.Header("X-Slipway-Timestamp"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(WebhookSigner.Verify(secret, timestamp, r.Body, r.Header("X-Slipway-Signature")));
        });
    }

    [Fact]
    public async Task Dispatch_SubscriberDown_ApiSucceedsAndDeliveryFailsAfterMaxAttempts()
    {
        // A one-second first backoff leaves a wide window in which the log shows the delivery pending after a failure.
        await using var server = await StartServerAsync(maxAttempts: 3, initialBackoff: TimeSpan.FromSeconds(1));
        using var client = server.CreateClient();
        await CreateModelAsync(client, "m");
        var (id, _) = await CreateWebhookAsync(client, "down", WebhookReceiver.ClosedPortUrl(), ["*"], modelName: "m");

        await CreateVersionAsync(client, "m");
        await PostAsync(client, "api/2.0/mlflow/registered-models/alias", new { name = "m", alias = "champion", version = "1" });

        var observed = new List<(string Status, int Attempts, string? Error)>();
        var deliveries = await WaitForDeliveriesAsync(client, id,
            d => d.Count == 2 && d.All(x => Status(x) == DeliveryStatus.Failed),
            d => observed.AddRange(d.Where(x => OptionalText(x, "event") == "model_version.created")
                .Select(x => (Status(x), Attempts(x), OptionalText(x, "last_error")))));
        Assert.All(deliveries, d =>
        {
            Assert.Equal(3, Attempts(d));
            Assert.False(string.IsNullOrWhiteSpace(OptionalText(d, "last_error")));
            Assert.Null(OptionalText(d, "last_status_code"));
            Assert.Null(OptionalText(d, "delivered_timestamp"));
        });
        Assert.Contains(observed, o => o.Status == DeliveryStatus.Pending && o.Attempts is 1 or 2 && !string.IsNullOrEmpty(o.Error));
        var attempts = observed.Select(o => o.Attempts).ToList();
        Assert.Equal(attempts.Order(), attempts);
    }

    [Fact]
    public async Task Dispatch_SubscriberHangs_RegistryCallsStillSucceed()
    {
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await WebhookReceiver.StartAsync(_ => release.Task);
        try
        {
            await using var server = await StartServerAsync(requestTimeout: WebhookOptions.MaxRequestTimeout);
            using var client = server.CreateClient();
            client.Timeout = TimeSpan.FromSeconds(30);
            var (id, _) = await CreateWebhookAsync(client, "slow", receiver.Url("/hook"), ["*"]);
            await CreateModelAsync(client, "m");
            await receiver.WaitForAsync(1);

            // The first delivery is now held open by the subscriber; the registry must not wait for it.
            await CreateVersionAsync(client, "m");
            await PostAsync(client, "api/2.0/mlflow/registered-models/alias", new { name = "m", alias = "champion", version = "1" });
            Assert.Equal(3, (await DeliveriesAsync(client, id)).Count);

            release.SetResult(200);
            var deliveries = await WaitForDeliveriesAsync(client, id, d => d.All(x => Status(x) == DeliveryStatus.Delivered));
            Assert.Equal(
                ["model_version.created", "model_version_alias.set", "registered_model.created"],
                deliveries.Select(d => d.GetProperty("event").GetString()).Order());
        }
        finally
        {
            release.TrySetResult(200);
        }
    }
}
