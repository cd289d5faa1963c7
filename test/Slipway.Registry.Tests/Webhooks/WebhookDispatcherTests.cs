using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Registry.Webhooks;

namespace Slipway.Registry.Tests.Webhooks;

/// <summary>The dispatcher against an in-memory outbox: what it records for each outcome, and that nothing stops its loop.</summary>
public sealed class WebhookDispatcherTests
{
    [Fact]
    public async Task ExecuteAsync_StoreThrows_LoopRecoversAndDelivers()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (store, fake) = FakeWebhookStore.Create(failFirstFetches: 2, FakeWebhookStore.Due(1, receiver.Url("/hook")));

        using var dispatcher = await StartAsync(store, new RegistryOptions());
        var attempt = await fake.WaitForAttemptAsync(1);

        Assert.True(attempt.Delivered);
        Assert.Equal(200, attempt.StatusCode);
        Assert.Null(attempt.Error);
        Assert.Null(attempt.NextAttempt);
        Assert.Single(receiver.Requests);
        await dispatcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ExecuteAsync_LoopbackSubscriberWithDefaultOptions_RefusedWithoutConnecting()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (store, fake) = FakeWebhookStore.Create(0, FakeWebhookStore.Due(1, receiver.Url("/hook")), FakeWebhookStore.Due(2, "http://169.254.169.254/latest/meta-data/"));

        using var dispatcher = await StartAsync(store, new RegistryOptions(), allowLocal: false);
        var loopback = await fake.WaitForAttemptAsync(1);
        var metadata = await fake.WaitForAttemptAsync(2);

        Assert.False(loopback.Delivered);
        Assert.Contains("AllowLocalAddresses", loopback.Error, StringComparison.Ordinal);
        Assert.False(metadata.Delivered);
        Assert.Contains("AllowLocalAddresses", metadata.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
        await dispatcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ExecuteAsync_UnsendableUrlInBatch_RecordedAsFailedAttemptAndOthersDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var options = new RegistryOptions();
        options.Webhooks.InitialBackoff = TimeSpan.FromSeconds(30);
        var (store, fake) = FakeWebhookStore.Create(0, FakeWebhookStore.Due(1, "not a url"), FakeWebhookStore.Due(2, receiver.Url("/hook")));

        using var dispatcher = await StartAsync(store, options);
        var bad = await fake.WaitForAttemptAsync(1);
        var good = await fake.WaitForAttemptAsync(2);

        Assert.False(bad.Delivered);
        Assert.Null(bad.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(bad.Error));
        Assert.Equal(bad.Now + 30_000, bad.NextAttempt);
        Assert.True(good.Delivered);
        await dispatcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ExecuteAsync_SubscriberNeverAnswers_TimeoutRecordedWithoutStatus()
    {
        var hang = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await WebhookReceiver.StartAsync(_ => hang.Task);
        try
        {
            var options = new RegistryOptions();
            options.Webhooks.RequestTimeout = TimeSpan.FromMilliseconds(300);
            var (store, fake) = FakeWebhookStore.Create(0, FakeWebhookStore.Due(1, receiver.Url("/hook")));

            using var dispatcher = await StartAsync(store, options);
            var attempt = await fake.WaitForAttemptAsync(1);

            Assert.False(attempt.Delivered);
            Assert.Null(attempt.StatusCode);
            Assert.Contains("Timed out", attempt.Error, StringComparison.Ordinal);
            Assert.NotNull(attempt.NextAttempt);
            await dispatcher.StopAsync(CancellationToken.None);
        }
        finally
        {
            hang.TrySetResult(200);
        }
    }

    [Fact]
    public async Task ExecuteAsync_LastAttemptFails_MarkedFailedWithStatusAndNoNextAttempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 503);
        var options = new RegistryOptions();
        options.Webhooks.MaxAttempts = 4;
        var (store, fake) = FakeWebhookStore.Create(0, FakeWebhookStore.Due(1, receiver.Url("/hook"), attempts: 3));

        using var dispatcher = await StartAsync(store, options);
        var attempt = await fake.WaitForAttemptAsync(1);

        Assert.False(attempt.Delivered);
        Assert.Equal(503, attempt.StatusCode);
        Assert.StartsWith("HTTP 503", attempt.Error, StringComparison.Ordinal);
        Assert.Null(attempt.NextAttempt);
        await dispatcher.StopAsync(CancellationToken.None);
    }

    private static async Task<WebhookDispatcher> StartAsync(Domain.IRegistryStore store, RegistryOptions options, bool allowLocal = true)
    {
        options.Webhooks.AllowLocalAddresses = allowLocal;
        var dispatcher = new WebhookDispatcher(store, options, new WebhookSignal(), TimeProvider.System, NullLogger<WebhookDispatcher>.Instance);
        await dispatcher.StartAsync(CancellationToken.None);
        return dispatcher;
    }
}
