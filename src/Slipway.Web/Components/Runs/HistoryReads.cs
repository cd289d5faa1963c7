using Slipway.Tracking;
using Slipway.Tracking.History;

namespace Slipway.Web.Components.Runs;

/// <summary>One metric history a chart needs.</summary>
public readonly record struct HistoryKey(string RunId, string Key);

/// <summary>
/// Reads metric histories for charts: downsampled on the server, off the circuit's context (reading a long history
/// is mostly synchronous database work), a few at a time, and each handed back as soon as it arrives so the charts
/// appear one by one instead of all at the end.
/// </summary>
public static class HistoryReads
{
    /// <summary>Enough points for a chart a screen wide; the M4 sampling keeps the outline of any longer history.</summary>
    public const int MaxPoints = 1000;

    /// <summary>As many reads at once as there are cores: more would only share the same CPUs.</summary>
    public static readonly int Concurrency = Math.Max(2, Environment.ProcessorCount);

    /// <summary>
    /// Reads every history in <paramref name="wanted"/> and calls <paramref name="arrived"/> with each, or with the
    /// exception that read failed with, back on the caller's context (a component's, so it may change its state).
    /// Stops quietly when <paramref name="ct"/> is cancelled (the component went away).
    /// </summary>
    public static async Task ReadAllAsync(TrackingService tracking, IEnumerable<HistoryKey> wanted,
        Action<HistoryKey, SampledHistory?, Exception?> arrived, CancellationToken ct)
    {
        using var readers = new SemaphoreSlim(Concurrency);
        await Task.WhenAll(wanted.Select(ReadOneAsync));

        async Task ReadOneAsync(HistoryKey item)
        {
            SampledHistory? history = null;
            Exception? error = null;
            try
            {
                await readers.WaitAsync(ct);
                try
                {
                    history = await Task.Run(() => tracking.GetSampledMetricHistoryAsync(item.RunId, item.Key, MaxPoints, ct), ct);
                }
                finally
                {
                    readers.Release();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                error = exception;
            }
            if (!ct.IsCancellationRequested)
                arrived(item, history, error);
        }
    }
}
