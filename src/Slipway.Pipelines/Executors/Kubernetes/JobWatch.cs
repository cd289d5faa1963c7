using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors.Kubernetes;

/// <summary>
/// The executor's state for one Job: the pod log being followed into the step log, the lines seen
/// so far, and the notes already written (so a pending pod is reported once, not on every poll).
/// </summary>
internal sealed class JobWatch(StepInvocation invocation, string jobName) : IAsyncDisposable
{
    private readonly List<string> _lines = [];
    private readonly HashSet<string> _notes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _streamCancellation = new();
    private Task<bool>? _streaming;

    public StepInvocation Invocation { get; } = invocation;

    public string JobName { get; } = jobName;

    /// <summary>Every log line copied so far, in order.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
                return [.. _lines];
        }
    }

    public void NoteOnce(string note)
    {
        if (_notes.Add(note))
            Invocation.Log.Write(StepLogStream.System, note);
    }

    /// <summary>Starts following the pod's log, once; the stream ends by itself when the container does.</summary>
    public void StartStreaming(string podName, Func<CancellationToken, Task<Stream>> open)
    {
        if (_streaming is not null)
            return;
        Invocation.Log.Write(StepLogStream.System, $"pod {podName} started; following its log");
        _streaming = FollowAsync(open, _streamCancellation.Token);
    }

    /// <summary>Whether the followed log reached its end; false when it never started, broke off or did not end in time.</summary>
    public async Task<bool> StopStreamingAsync(TimeSpan timeout, TimeProvider time)
    {
        if (_streaming is null)
            return false;
        try
        {
            return await _streaming.WaitAsync(timeout, time);
        }
        catch (TimeoutException)
        {
            await _streamCancellation.CancelAsync();
            return false;
        }
    }

    /// <summary>Copies the lines of a full log past those already copied.</summary>
    public async Task CopyRemainingAsync(Stream log, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(log);
        var index = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (index++ >= LineCount())
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

    private int LineCount()
    {
        lock (_lines)
            return _lines.Count;
    }

    private void Append(string line)
    {
        lock (_lines)
            _lines.Add(line);
        // Kubernetes merges stdout and stderr into one log; it is copied as stdout.
        Invocation.Log.Write(StepLogStream.Stdout, line);
    }
}
