using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Artifacts;

namespace Slipway.Serving.Logging;

/// <summary>
/// The inference log. <see cref="TryWrite"/> puts a record on a bounded channel and never waits; a background loop
/// groups records by endpoint and UTC day and writes a group as one new Parquet segment
/// (<c>inference-logs/&lt;endpoint&gt;/date=YYYY-MM-DD/part-&lt;utc time&gt;-&lt;random&gt;.parquet</c>) when it reaches
/// <see cref="InferenceLogOptions.SegmentRows"/> rows, when its oldest record has waited
/// <see cref="InferenceLogOptions.FlushInterval"/>, or at shutdown. Segments are never rewritten. A segment the
/// store fails to take is dropped and counted, not retried, so a broken store cannot grow memory without bound.
/// The loop runs apart from the host's stopping token: <see cref="StopAsync"/> closes the queue and waits for it to drain.
/// </summary>
public sealed partial class ParquetInferenceLog : IHostedService, IInferenceLog
{
    public const string MeterName = "Slipway.Serving";
    public const string DroppedCounterName = "slipway_inference_log_dropped_total";

    // Reading stops to check flush deadlines after this many records, so a busy endpoint cannot delay a quiet one.
    private const int ReadBatch = 1024;

    private readonly Channel<InferenceLogRecord> _channel;
    private readonly InferenceLogOptions _options;
    private readonly IArtifactStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<ParquetInferenceLog> _logger;
    private readonly Counter<long> _droppedCounter;
    private readonly Dictionary<(string Endpoint, DateOnly Date), PendingSegment> _pending = [];
    private Task? _loop;
    private long _dropped;
    private volatile bool _stopping;

    public ParquetInferenceLog(InferenceLogOptions options, IArtifactStore store, TimeProvider time, IMeterFactory meters, ILogger<ParquetInferenceLog> logger)
    {
        _options = options;
        _store = store;
        _time = time;
        _logger = logger;
        // FullMode.Wait, not DropWrite: DropWrite's TryWrite returns true even for the item it throws away, so the
        // caller could not be told. Wait's TryWrite never waits either (only WriteAsync does); it returns false when full.
        _channel = Channel.CreateBounded<InferenceLogRecord>(new BoundedChannelOptions(options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        _droppedCounter = meters.Create(MeterName).CreateCounter<long>(
            DroppedCounterName, "{record}", "Inference log records dropped: queue full, logging stopped, or a segment that could not be written.");
    }

    /// <summary>Records dropped since start, for every reason (see <see cref="DroppedCounterName"/>).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public bool TryWrite(InferenceLogRecord record)
    {
        if (_channel.Writer.TryWrite(record))
            return true;
        CountDropped(1, record.Endpoint, _stopping ? "stopped" : "queue_full");
        return false;
    }

    /// <summary>Starts the writer loop; it runs until <see cref="StopAsync"/> and does not depend on the host's token.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops taking records and waits until every record already queued is written, or until
    /// <paramref name="cancellationToken"/> (the host's shutdown timeout) gives up waiting.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _channel.Writer.TryComplete();
        // Stopped without having been started (another service failed to start): still write what was queued.
        _loop ??= Task.Run(RunAsync, CancellationToken.None);
        await _loop.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        try
        {
            do
            {
                for (var read = 0; read < ReadBatch && reader.TryRead(out var record); read++)
                    await AddAsync(record);
                await WriteDueAsync();
            }
            while (reader.TryPeek(out _) || await WaitForRecordsAsync(reader));
            foreach (var segment in _pending.Values.ToList())
                await WriteAsync(segment);
        }
        catch (Exception exception)
        {
            // Only a bug gets here; the queue then fills and every further record is counted as dropped.
            LogLoopFailed(_logger, exception);
        }
    }

    private async Task AddAsync(InferenceLogRecord record)
    {
        if (!InferenceLogPaths.TryUtcDate(record.Timestamp, out var date))
        {
            CountDropped(1, record.Endpoint, "invalid");
            LogInvalidTimestamp(_logger, record.Endpoint, record.RequestId, record.Timestamp);
            return;
        }
        var key = (record.Endpoint, date);
        if (!_pending.TryGetValue(key, out var segment))
            _pending[key] = segment = new PendingSegment(record.Endpoint, date, _time.GetUtcNow() + _options.FlushInterval);
        segment.Add(record, LogRows.Count(record, out _));
        if (segment.Rows >= _options.SegmentRows)
            await WriteAsync(segment);
    }

    private async Task WriteDueAsync()
    {
        if (_pending.Count == 0)
            return;
        var now = _time.GetUtcNow();
        List<PendingSegment>? due = null;
        foreach (var segment in _pending.Values)
        {
            if (segment.Deadline <= now)
                (due ??= []).Add(segment);
        }
        foreach (var segment in due ?? [])
            await WriteAsync(segment);
    }

    /// <summary>Waits for records, or until the earliest pending segment is due; false once the channel is completed and empty.</summary>
    private async ValueTask<bool> WaitForRecordsAsync(ChannelReader<InferenceLogRecord> reader)
    {
        if (_pending.Count == 0)
            return await reader.WaitToReadAsync();
        var deadline = DateTimeOffset.MaxValue;
        foreach (var segment in _pending.Values)
            deadline = segment.Deadline < deadline ? segment.Deadline : deadline;
        var delay = deadline - _time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
            return true;
        using var timeout = new CancellationTokenSource(delay, _time);
        try
        {
            return await reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return true;
        }
    }

    private async Task WriteAsync(PendingSegment segment)
    {
        _pending.Remove((segment.Endpoint, segment.Date));
        try
        {
            var path = InferenceLogPaths.DateFolder(segment.Endpoint, segment.Date) + "/" + InferenceLogPaths.SegmentName(_time.GetUtcNow());
            using var file = new MemoryStream();
            // Never cancelled: at shutdown these are the rows StopAsync waits for, and the host's timeout bounds that wait.
            await InferenceLogSegmentWriter.WriteAsync(file, segment.Records, CancellationToken.None);
            file.Position = 0;
            await _store.WriteAsync(path, file, CancellationToken.None);
            LogSegmentWritten(_logger, path, segment.Rows, segment.Records.Count);
        }
        catch (Exception exception)
        {
            CountDropped(segment.Records.Count, segment.Endpoint, "write_failed");
            LogSegmentFailed(_logger, segment.Endpoint, segment.Records.Count, exception);
        }
    }

    private void CountDropped(int records, string endpoint, string reason)
    {
        Interlocked.Add(ref _dropped, records);
        ServingMetrics.InferenceLogDropped.WithLabels(endpoint, reason).Inc(records);
        _droppedCounter.Add(records, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("reason", reason));
    }

    private sealed class PendingSegment(string endpoint, DateOnly date, DateTimeOffset deadline)
    {
        public string Endpoint { get; } = endpoint;

        public DateOnly Date { get; } = date;

        public DateTimeOffset Deadline { get; } = deadline;

        public List<InferenceLogRecord> Records { get; } = [];

        public int Rows { get; private set; }

        public void Add(InferenceLogRecord record, int rows)
        {
            Records.Add(record);
            Rows += rows;
        }
    }
}
