using System.Diagnostics.Metrics;
using Prometheus;

namespace Slipway.Server;

/// <summary>
/// Exports the <c>Slipway.Storage</c> meter's operation durations as a Prometheus histogram. The storage
/// library only uses System.Diagnostics.Metrics; the host decides how it is exposed.
/// </summary>
internal sealed class StoreMetricsBridge : IDisposable
{
    private static readonly Histogram StoreDuration = Metrics.CreateHistogram(
        "slipway_store_operation_duration_seconds",
        "Time spent in one metadata store operation.",
        new HistogramConfiguration
        {
            LabelNames = ["operation", "kind"],
            Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16),
        });

    private readonly MeterListener _listener = new();

    public StoreMetricsBridge()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Slipway.Storage")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>(static (instrument, value, tags, state) =>
        {
            string operation = "", kind = "";
            foreach (var tag in tags)
            {
                if (tag.Key == "operation")
                    operation = tag.Value as string ?? "";
                else if (tag.Key == "kind")
                    kind = tag.Value as string ?? "";
            }
            StoreDuration.WithLabels(operation, kind).Observe(value);
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();
}
