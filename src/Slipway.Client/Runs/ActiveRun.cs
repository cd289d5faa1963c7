using System.Runtime.ExceptionServices;
using Slipway.Client.Runs;

namespace Slipway.Client;

/// <summary>
/// A run in progress, returned by <see cref="SlipwayClient.StartRunAsync"/>. Metric values logged with
/// <see cref="LogMetric"/> are queued and sent in the background in batches (see <see cref="FlushAsync"/>).
/// </summary>
/// <remarks>
/// <para>
/// <b>How the run ends.</b> C# gives <see cref="IAsyncDisposable.DisposeAsync"/> no way to see whether an
/// exception is leaving the <c>await using</c> block, so success is declared, not guessed:
/// call <see cref="CompleteAsync"/> at the end of the block to end the run <see cref="RunStatus.Finished"/>.
/// A run disposed without having been ended — because an exception was thrown, or the block was left early —
/// is ended <see cref="RunStatus.Failed"/>. Either way the queued metrics are sent first.
/// </para>
/// <code>
/// await using var run = await client.StartRunAsync("my-experiment", "train-1");
/// for (var step = 0; step &lt; 100; step++)
///     run.LogMetric("loss", Train(step), step);
/// await run.CompleteAsync();   // FINISHED; without this line the run ends FAILED
/// </code>
/// <para>
/// <see cref="SlipwayClient.TrackRunAsync"/> wraps this pattern around a delegate: FINISHED when it returns,
/// FAILED when it throws, KILLED when it is cancelled.
/// </para>
/// <para>
/// Disposal never throws: on the failure path an exception is usually already in flight and must not be
/// masked, so errors met while sending the last metrics or ending the run are swallowed there. Call
/// <see cref="CompleteAsync"/> or <see cref="EndAsync"/> to observe them.
/// </para>
/// </remarks>
public sealed class ActiveRun : IAsyncDisposable
{
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(30);

    private readonly SlipwayClient _client;
    private readonly MetricBatcher _metrics;
    private readonly TimeProvider _timeProvider;
    private int _ended;

    internal ActiveRun(SlipwayClient client, Run run, TimeProvider timeProvider)
    {
        _client = client;
        _timeProvider = timeProvider;
        Info = run.Info;
        _metrics = new MetricBatcher((batch, ct) => client.LogBatchAsync(Info.RunId, batch, ct: ct), timeProvider);
    }

    /// <summary>The run as it was when it started.</summary>
    public RunInfo Info { get; }

    /// <summary>The run id.</summary>
    public string RunId => Info.RunId;

    /// <summary>The id of the run's experiment.</summary>
    public string ExperimentId => Info.ExperimentId;

    /// <summary>The status the run was ended with; null while it is running.</summary>
    public RunStatus? EndStatus { get; private set; }

    /// <summary>
    /// Queues a metric value, timestamped now, for the background logger; returns at once unless
    /// <see cref="MetricBatcher.Capacity"/> values are already waiting, in which case it blocks until there is room.
    /// </summary>
    /// <exception cref="InvalidOperationException">The run has ended.</exception>
    public void LogMetric(string key, double value, long step = 0) =>
        _metrics.Add(new Metric(key, value, NowMilliseconds(), step));

    /// <summary>Queues a metric value like <see cref="LogMetric"/>, awaiting (instead of blocking) when the queue is full.</summary>
    public ValueTask LogMetricAsync(string key, double value, long step = 0, CancellationToken ct = default) =>
        _metrics.AddAsync(new Metric(key, value, NowMilliseconds(), step), ct);

    /// <summary>
    /// Waits until every metric value queued before this call has been sent. Throws the first error the
    /// background logger met since the previous flush; the values of a batch that failed are lost
    /// (transient failures are retried first).
    /// </summary>
    public Task FlushAsync(CancellationToken ct = default) => _metrics.FlushAsync(ct);

    /// <summary>Logs a parameter right away.</summary>
    public Task LogParameterAsync(string key, string value, CancellationToken ct = default) =>
        _client.LogParameterAsync(RunId, key, value, ct);

    /// <summary>Logs several parameters right away through <c>runs/log-batch</c>.</summary>
    public Task LogParametersAsync(IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken ct = default) =>
        _client.LogBatchAsync(RunId, parameters: parameters.Select(p => new Param(p.Key, p.Value)), ct: ct);

    /// <summary>Sets a tag right away.</summary>
    public Task SetTagAsync(string key, string value, CancellationToken ct = default) =>
        _client.SetTagAsync(RunId, key, value, ct);

    /// <summary>Records the datasets the run uses.</summary>
    public Task LogInputsAsync(IEnumerable<DatasetInput> datasets, CancellationToken ct = default) =>
        _client.LogInputsAsync(RunId, datasets, ct);

    /// <summary>Uploads a file into the run's artifacts; see <see cref="SlipwayClient.UploadArtifactAsync(RunInfo, string, string?, CancellationToken)"/>.</summary>
    public Task<string> LogArtifactAsync(string localFile, string? artifactPath = null, CancellationToken ct = default) =>
        _client.UploadArtifactAsync(Info, localFile, artifactPath, ct);

    /// <summary>Uploads a folder into the run's artifacts; see <see cref="SlipwayClient.UploadArtifactsAsync(RunInfo, string, string?, CancellationToken)"/>.</summary>
    public Task<IReadOnlyList<string>> LogArtifactsAsync(string localDirectory, string? artifactPath = null, CancellationToken ct = default) =>
        _client.UploadArtifactsAsync(Info, localDirectory, artifactPath, ct);

    /// <summary>Sends the queued metrics, then ends the run <see cref="RunStatus.Finished"/>.</summary>
    public Task CompleteAsync(CancellationToken ct = default) => EndAsync(RunStatus.Finished, ct);

    /// <summary>
    /// Sends the queued metrics, then ends the run with <paramref name="status"/> and the current time. The run
    /// is ended even when some metrics could not be sent; that error is thrown afterwards.
    /// </summary>
    /// <exception cref="InvalidOperationException">The run has already ended.</exception>
    public async Task EndAsync(RunStatus status, CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
            throw new InvalidOperationException($"Run {RunId} has already ended ({EndStatus}).");

        Exception? metricsError = null;
        try
        {
            await _metrics.FlushAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metricsError = ex;
        }

        await _metrics.DisposeAsync().ConfigureAwait(false);
        metricsError ??= _metrics.TakeError();
        await _client.SetTerminatedAsync(RunId, status, ct).ConfigureAwait(false);
        EndStatus = status;
        if (metricsError is not null)
            ExceptionDispatchInfo.Capture(metricsError).Throw();
    }

    /// <summary>
    /// Ends a run that was not ended explicitly as <see cref="RunStatus.Failed"/>, after sending the queued metrics;
    /// does nothing after <see cref="CompleteAsync"/> or <see cref="EndAsync"/>. Never throws.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
            return;

        using (var flushTimeout = new CancellationTokenSource(DisposeTimeout, _timeProvider))
        {
            try
            {
                await _metrics.FlushAsync(flushTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                _metrics.Abort();
            }
        }

        await _metrics.DisposeAsync().ConfigureAwait(false);

        // A fresh deadline: a slow flush must not leave the run RUNNING for ever.
        using var endTimeout = new CancellationTokenSource(DisposeTimeout, _timeProvider);
        try
        {
            await _client.SetTerminatedAsync(RunId, RunStatus.Failed, endTimeout.Token).ConfigureAwait(false);
            EndStatus = RunStatus.Failed;
        }
        catch (Exception)
        {
            // An exception is most likely leaving the caller's block already; it matters more than this one.
        }
    }

    private long NowMilliseconds() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
}
