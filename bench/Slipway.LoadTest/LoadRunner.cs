using System.Diagnostics;

namespace Slipway.LoadTest;

/// <summary>The outcome of one bounded load phase.</summary>
internal sealed record LoadOutcome(int Completed, TimeSpan Elapsed, LatencyStats Latency, bool HitDeadline)
{
    public double PerSecond => Completed / Elapsed.TotalSeconds;

    public string DeadlineNote => HitDeadline ? "time budget ran out before the request budget; " : "";
}

/// <summary>
/// Runs a fixed request budget over a number of concurrent workers. Workers take the next request number
/// from a shared counter, so the total is exact; a deadline stops them early should the server be slow.
/// With <c>interleaved</c>, worker <c>w</c> sends exactly requests w, w + workers, w + 2·workers, … instead,
/// for callers whose request bodies belong to one worker (e.g. one run per client).
/// </summary>
internal static class LoadRunner
{
    /// <param name="call">Sends request number <c>index</c> (0-based, over all workers) from worker <c>worker</c>.</param>
    public static async Task<LoadOutcome> RunAsync(int workers, int total, TimeSpan deadline, Func<int, int, Task> call, bool interleaved = false)
    {
        var next = -1;
        var recorders = new LatencyRecorder[workers];
        var stopAt = Stopwatch.GetTimestamp() + (long)(deadline.TotalSeconds * Stopwatch.Frequency);
        var hitDeadline = false;
        var started = Stopwatch.GetTimestamp();

        async Task WorkAsync(int worker)
        {
            // Yield first so that all workers start together rather than the first one running ahead synchronously.
            await Task.Yield();
            var recorder = recorders[worker];
            var own = worker - workers;
            while (true)
            {
                var index = interleaved ? own += workers : Interlocked.Increment(ref next);
                if (index >= total)
                    return;
                var start = Stopwatch.GetTimestamp();
                if (start > stopAt)
                {
                    hitDeadline = true;
                    return;
                }
                await call(worker, index);
                recorder.Record(start);
            }
        }

        for (var w = 0; w < workers; w++)
            recorders[w] = new LatencyRecorder(total);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(WorkAsync));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var latency = new LatencyStats(recorders.SelectMany(r => r.Ticks));
        return new LoadOutcome(latency.Count, elapsed, latency, hitDeadline);
    }
}
