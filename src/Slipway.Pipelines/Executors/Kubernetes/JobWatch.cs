using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors.Kubernetes;

/// <summary>
/// The executor's state for one Job: the pod whose log is followed into the step log (the newest
/// one: with a backoff limit above 0 Kubernetes replaces a failed pod by a new one), the tail of that
/// pod's log a <c>uses: train</c> step's outcome is read from, and the notes already written (so a
/// pending pod is reported once, not on every poll).
/// </summary>
internal sealed class JobWatch(StepInvocation invocation, string jobName) : IAsyncDisposable
{
    /// <summary>The most lines of a train step's log kept for its outcome, which ends the log.</summary>
    public const int MaxOutcomeLines = 2000;

    // Only a train step's outcome is read back from its log; other steps keep nothing in memory.
    private readonly Queue<string>? _tail = invocation.Uses == StepKinds.Train ? new Queue<string>() : null;
    private readonly HashSet<string> _notes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _followedPods = new(StringComparer.Ordinal);
    private CancellationTokenSource _streamCancellation = new();
    private Task<bool>? _streaming;
    private int _podLineCount;

    public StepInvocation Invocation { get; } = invocation;

    public string JobName { get; } = jobName;

    /// <summary>The pod being followed: the newest seen so far; null before the first one appears.</summary>
    public string? PodName { get; private set; }

    /// <summary>Whether <paramref name="podName"/> is or was the pod being followed.</summary>
    public bool WasFollowed(string podName) => _followedPods.Contains(podName);

    /// <summary>Whether the current pod's log has been opened.</summary>
    public bool IsStreaming => _streaming is not null;

    /// <summary>
    /// The last lines (at most <see cref="MaxOutcomeLines"/>) of the current pod's log for a train
    /// step, in order; empty for other steps.
    /// </summary>
    public IReadOnlyList<string> OutcomeLines
    {
        get
        {
            if (_tail is null)
                return [];
            lock (_tail)
                return [.. _tail];
        }
    }

    public void NoteOnce(string note)
    {
        if (_notes.Add(note))
            Invocation.Log.Write(StepLogStream.System, note);
    }

    /// <summary>
    /// Makes <paramref name="podName"/> the pod being followed: its log starts afresh and the outcome
    /// lines of the one before are dropped. Stop the previous pod's stream first.
    /// </summary>
    public void FollowPod(string podName)
    {
        PodName = podName;
        _followedPods.Add(podName);
        _streaming = null;
        _podLineCount = 0;
        if (_tail is not null)
        {
            lock (_tail)
                _tail.Clear();
        }
    }

    /// <summary>Starts following the current pod's log, once; the stream ends by itself when the container does.</summary>
    public void StartStreaming(Func<CancellationToken, Task<Stream>> open)
    {
        if (_streaming is not null || PodName is null)
            return;
        Invocation.Log.Write(StepLogStream.System, $"pod {PodName} started; following its log");
        if (_streamCancellation.IsCancellationRequested)
        {
            _streamCancellation.Dispose();
            _streamCancellation = new CancellationTokenSource();
        }
        _streaming = FollowAsync(open, _streamCancellation.Token);
    }

    /// <summary>
    /// Waits for the current pod's log stream to end. Whether it reached its end; false when it never
    /// started, broke off or did not end in time (it is then stopped, so nothing more is appended).
    /// </summary>
    public async Task<bool> StopStreamingAsync(TimeSpan timeout, TimeProvider time)
    {
        if (_streaming is not { } streaming)
            return false;
        try
        {
            return await streaming.WaitAsync(timeout, time);
        }
        catch (TimeoutException)
        {
            await _streamCancellation.CancelAsync();
            await ((Task)streaming).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return false;
        }
    }

    /// <summary>Copies the lines of the current pod's full log past those already copied.</summary>
    public async Task CopyRemainingAsync(Stream log, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(log);
        var index = 0;
        var copied = Volatile.Read(ref _podLineCount);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (index++ >= copied)
                Append(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _streamCancellation.CancelAsync();
        if (_streaming is not null)
            await ((Task)_streaming).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _streamCancellation.Dispose();
    }

    private async Task<bool> FollowAsync(Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        // Leave the poll loop at once; the stream is read on the thread pool.
        await Task.Yield();
        try
        {
            await using var stream = await open(cancellationToken);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
                Append(line);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or IOException)
        {
            Invocation.Log.Write(StepLogStream.System, $"the log stream broke off ({e.Message}); reading the rest when the pod ends");
            return false;
        }
    }

    private void Append(string line)
    {
        Interlocked.Increment(ref _podLineCount);
        if (_tail is not null)
        {
            lock (_tail)
            {
                if (_tail.Count == MaxOutcomeLines)
                    _tail.Dequeue();
                _tail.Enqueue(line);
            }
        }
        // Kubernetes merges stdout and stderr into one log; it is copied as stdout.
        Invocation.Log.Write(StepLogStream.Stdout, line);
    }
}
