using System.Diagnostics.Metrics;

namespace Slipway.Storage;

/// <summary>Store latencies on the <c>Slipway.Storage</c> meter; the host exports it to Prometheus.</summary>
internal static class StorageMetrics
{
    private static readonly Meter Meter = new("Slipway.Storage");

    public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>(
        "slipway_store_operation_duration_seconds",
        unit: null,
        description: "Time spent in one metadata store operation, by operation and kind (read/write).");
}
