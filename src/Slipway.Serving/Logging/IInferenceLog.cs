using Slipway.Serving.Inference;

namespace Slipway.Serving.Logging;

/// <summary>One served request, as kept for monitoring: who answered, what went in and came out, and how long it took.</summary>
public sealed record InferenceLogRecord(
    string RequestId,
    string Endpoint,
    string Route,
    string ModelVersion,
    long Timestamp,
    double LatencyMilliseconds,
    IReadOnlyList<Tensor> Inputs,
    IReadOnlyList<Tensor> Outputs,
    bool Shadow);

/// <summary>
/// The inference log: a bounded in-memory channel drained by a background writer into append-only Parquet segments
/// under <c>inference-logs/&lt;endpoint&gt;/date=YYYY-MM-DD/</c> in the artifact store. <see cref="TryWrite"/> never
/// blocks: when the channel is full the record is dropped and counted.
/// </summary>
public interface IInferenceLog
{
    /// <summary>Queues a record; false (and the drop counter incremented) when the queue is full.</summary>
    bool TryWrite(InferenceLogRecord record);
}

/// <summary>Ground truth for served requests: a label per request id, stored for monitoring's performance metrics.</summary>
public sealed record FeedbackRecord(string RequestId, string Endpoint, string Label, long Timestamp);
