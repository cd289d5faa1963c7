using System.Collections.Concurrent;
using System.Reflection;
using Slipway.Registry.Domain;

namespace Slipway.Registry.Tests.Webhooks;

/// <summary>
/// An <see cref="IRegistryStore"/> holding only an outbox, for driving <see cref="Registry.Webhooks.WebhookDispatcher"/>
/// directly: the dispatcher's three methods are served from memory, every other member throws.
/// </summary>
public class FakeWebhookStore : DispatchProxy
{
    private readonly ConcurrentDictionary<long, DueDelivery> _pending = new();
    private int _failuresLeft;

    public ConcurrentQueue<RecordedAttempt> Attempts { get; } = new();

    public static (IRegistryStore Store, FakeWebhookStore Fake) Create(int failFirstFetches = 0, params DueDelivery[] due)
    {
        var store = Create<IRegistryStore, FakeWebhookStore>();
        var fake = (FakeWebhookStore)(object)store;
        fake._failuresLeft = failFirstFetches;
        foreach (var delivery in due)
            fake._pending[delivery.Delivery.Id] = delivery;
        return (store, fake);
    }

    public static DueDelivery Due(long id, string url, int attempts = 0) => new(
        new WebhookDelivery(id, 1, "model_version.created", $$"""{"event":"model_version.created","id":{{id}}}""", DeliveryStatus.Pending,
            attempts, 0, 0, null, null, null),
        url, "secret-of-sixteen-chars");

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
    {
        nameof(IRegistryStore.GetDueDeliveriesAsync) => Interlocked.Decrement(ref _failuresLeft) >= 0
            ? Task.FromException<IReadOnlyList<DueDelivery>>(new InvalidOperationException("database is unavailable"))
            : Task.FromResult<IReadOnlyList<DueDelivery>>([.. _pending.Values.OrderBy(d => d.Delivery.Id).Take((int)args![1]!)]),
        nameof(IRegistryStore.RecordDeliveryAttemptAsync) => Record(args!),
        nameof(IRegistryStore.GetNextDeliveryTimeAsync) => Task.FromResult<long?>(null),
        _ => throw new NotSupportedException(targetMethod?.Name),
    };

    private Task<bool> Record(object?[] args)
    {
        var attempt = new RecordedAttempt((long)args[0]!, (bool)args[2]!, (int?)args[3], (string?)args[4], (long)args[5]!, (long?)args[6]);
        // Each delivery is attempted once per test: recorded means no longer due.
        _pending.TryRemove(attempt.DeliveryId, out _);
        Attempts.Enqueue(attempt);
        return Task.FromResult(true);
    }

    public async Task<RecordedAttempt> WaitForAttemptAsync(long deliveryId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (Attempts.FirstOrDefault(a => a.DeliveryId == deliveryId) is { } attempt)
                return attempt;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"delivery {deliveryId} was never recorded");
            await Task.Delay(25);
        }
    }
}

public sealed record RecordedAttempt(long DeliveryId, bool Delivered, int? StatusCode, string? Error, long Now, long? NextAttempt);
