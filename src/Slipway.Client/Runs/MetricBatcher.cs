using System.Threading.Channels;

namespace Slipway.Client.Runs;

/// <summary>
/// Queues metric values in a bounded channel and sends them from one background task through
/// <c>runs/log-batch</c>: a batch goes out when it holds <see cref="SlipwayClient.MaxMetricsPerBatch"/> values,
/// when <see cref="FlushInterval"/> has passed since its first value arrived, or when a flush is asked for.
/// A full queue makes writers wait (back-pressure) instead of dropping values.
/// </summary>
internal sealed class MetricBatcher : IAsyncDisposable
{
    public const int Capacity = 10_000;
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    private const int MaxAttempts = 3;

    private readonly Channel<Entry> _channel = Channel.CreateBounded<Entry>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Func<List<Metric>, CancellationToken, Task> _send;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _pump;
    private Exception? _error;

    public MetricBatcher(Func<List<Metric>, CancellationToken, Task> send, TimeProvider timeProvider)
    {
        _send = send;
        _timeProvider = timeProvider;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Queues a value, waiting for room when the queue is full.</summary>
    /// <exception cref="InvalidOperationException">The batcher was disposed (the run has ended).</exception>
    public void Add(Metric metric)
    {
        if (_channel.Writer.TryWrite(new Entry(metric, null)))
            return;
        try
        {
            _channel.Writer.WriteAsync(new Entry(metric, null)).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException ex)
        {
            throw Ended(ex);
        }
    }

    /// <summary>Queues a value, awaiting room when the queue is full.</summary>
    public async ValueTask AddAsync(Metric metric, CancellationToken ct)
    {
        try
        {
            await _channel.Writer.WriteAsync(new Entry(metric, null), ct).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw Ended(ex);
        }
    }

    /// <summary>
    /// Completes once every value queued before the call has been sent. Throws the first error the background
    /// task met since the previous flush (the values of a failed batch are lost).
    /// </summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _channel.Writer.WriteAsync(new Entry(default, done), ct).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw Ended(ex);
        }

        await done.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Stops accepting values, sends what is queued and waits for the background task.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Takes the error the background task met and no flush has reported yet, if any.</summary>
    public Exception? TakeError() => Interlocked.Exchange(ref _error, null);

    /// <summary>Gives up on sending queued values (used when the run is being abandoned and the server is unreachable).</summary>
    public void Abort() => _stopping.Cancel();

    private async Task PumpAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<Metric>(SlipwayClient.MaxMetricsPerBatch);
        var waiters = new List<TaskCompletionSource>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var started = _timeProvider.GetTimestamp();
            var flushRequested = false;
            while (true)
            {
                while (batch.Count < SlipwayClient.MaxMetricsPerBatch && !flushRequested && reader.TryRead(out var entry))
                {
                    if (entry.Flushed is null)
                    {
                        batch.Add(entry.Metric);
                    }
                    else
                    {
                        waiters.Add(entry.Flushed);
                        flushRequested = true;
                    }
                }

                if (flushRequested || batch.Count >= SlipwayClient.MaxMetricsPerBatch)
                    break;
                var remaining = FlushInterval - _timeProvider.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero || !await WaitForMoreAsync(reader, remaining).ConfigureAwait(false))
                    break;
            }

            if (batch.Count > 0)
            {
                await SendWithRetriesAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }

            foreach (var waiter in waiters)
            {
                var error = Interlocked.Exchange(ref _error, null);
                if (error is null)
                    waiter.TrySetResult();
                else
                    waiter.TrySetException(error);
            }

            waiters.Clear();
        }
    }

    private async Task<bool> WaitForMoreAsync(ChannelReader<Entry> reader, TimeSpan timeout)
    {
        using var timer = new CancellationTokenSource(timeout, _timeProvider);
        try
        {
            return await reader.WaitToReadAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task SendWithRetriesAsync(List<Metric> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _send(batch, _stopping.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsTransient(ex) && !_stopping.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), _timeProvider, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Keep the first failure for the next flush; later batches still get their chance.
                Interlocked.CompareExchange(ref _error, ex, null);
                return;
            }
        }
    }

    private static bool IsTransient(Exception ex) =>
        ex is HttpRequestException or TaskCanceledException { InnerException: TimeoutException }
        || ex is SlipwayApiException { IsTransient: true };

    private static InvalidOperationException Ended(Exception inner) =>
        new("The run has ended; metrics can no longer be logged through it.", inner);

    /// <summary>A queued value, or (when <see cref="Flushed"/> is set) a flush marker.</summary>
    private readonly record struct Entry(Metric Metric, TaskCompletionSource? Flushed);
}
