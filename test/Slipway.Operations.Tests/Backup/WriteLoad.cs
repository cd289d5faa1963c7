using System.Collections.Concurrent;
using Slipway.Client;

namespace Slipway.Operations.Tests.Backup;

/// <summary>
/// Concurrent writers against a real server: each creates runs and logs batches into them, one after the other.
/// A batch is <see cref="MetricsPerBatch"/> history rows of metric <c>loss</c>, one param <c>batch-N</c> and the tag
/// <c>last_batch=N</c>, so a restored run can be checked for whole batches. Per run it counts batches sent (before the
/// request) and acknowledged (after the answer): a backup must hold at least what was acknowledged before it started
/// and at most what had been sent when it ended.
/// </summary>
public sealed class WriteLoad(SlipwayClient client, string experimentId, int writers, int batchesPerRun) : IAsyncDisposable
{
    public const int MetricsPerBatch = 10;

    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, RunCounts> _runs = new(StringComparer.Ordinal);
    private readonly List<Task> _writers = [];
    private long _acknowledgedBatches;

    public sealed class RunCounts
    {
        public int Sent;
        public int Acknowledged;
    }

    public long AcknowledgedBatches => Interlocked.Read(ref _acknowledgedBatches);

    public void Start()
    {
        for (var i = 0; i < writers; i++)
            _writers.Add(Task.Run(() => WriteAsync(_stop.Token)));
    }

    /// <summary>Waits until at least <paramref name="batches"/> batches were acknowledged, failing after a generous deadline.</summary>
    public async Task WaitForAcknowledgedAsync(long batches)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (AcknowledgedBatches < batches)
        {
            if (_writers.FirstOrDefault(w => w.IsFaulted) is { } failed)
                await failed;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Only {AcknowledgedBatches} of {batches} batches were acknowledged in 2 minutes.");
            await Task.Delay(50);
        }
    }

    /// <summary>Runs that exist (their create was acknowledged) and how many batches of each were acknowledged so far.</summary>
    public Dictionary<string, int> SnapshotAcknowledged() => _runs.ToDictionary(r => r.Key, r => Volatile.Read(ref r.Value.Acknowledged));

    /// <summary>How many batches of each run had been sent so far (acknowledged or still in flight).</summary>
    public Dictionary<string, int> SnapshotSent() => _runs.ToDictionary(r => r.Key, r => Volatile.Read(ref r.Value.Sent));

    /// <summary>Stops the writers and surfaces any failure of theirs.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_writers);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
            await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_writers);
        }
        catch (Exception)
        {
            // Already reported by StopAsync in a test that got that far.
        }
        _stop.Dispose();
    }

    private async Task WriteAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var run = await client.CreateRunAsync(experimentId, ct: stop);
                var counts = _runs.GetOrAdd(run.Info.RunId, _ => new RunCounts());
                for (var batch = 0; batch < batchesPerRun && !stop.IsCancellationRequested; batch++)
                {
                    var metrics = Enumerable.Range(0, MetricsPerBatch)
                        .Select(i => new Metric("loss", 1.0 / (1 + batch * MetricsPerBatch + i), 1_700_000_000_000 + batch, batch * MetricsPerBatch + i));
                    Interlocked.Increment(ref counts.Sent);
                    await client.LogBatchAsync(run.Info.RunId, metrics, [new Param($"batch-{batch}", "x")], [new Tag("last_batch", batch.ToString(System.Globalization.CultureInfo.InvariantCulture))], stop);
                    Interlocked.Increment(ref counts.Acknowledged);
                    Interlocked.Increment(ref _acknowledgedBatches);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped in the middle of a request: that batch counts as sent, not acknowledged.
        }
    }
}
