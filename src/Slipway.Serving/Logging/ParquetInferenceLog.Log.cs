using Microsoft.Extensions.Logging;

namespace Slipway.Serving.Logging;

// Event ids 4300–4319: serving's inference log and feedback.
public sealed partial class ParquetInferenceLog
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Debug, Message = "Wrote inference log segment {Path}: {Rows} rows from {Records} requests")]
    private static partial void LogSegmentWritten(ILogger logger, string path, int rows, int records);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Error, Message = "Could not write an inference log segment for endpoint {Endpoint}; {Records} records dropped")]
    private static partial void LogSegmentFailed(ILogger logger, string endpoint, int records, Exception exception);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Inference log record {RequestId} of endpoint {Endpoint} dropped: timestamp {Timestamp} is not a valid unix time in milliseconds")]
    private static partial void LogInvalidTimestamp(ILogger logger, string endpoint, string requestId, long timestamp);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Critical, Message = "The inference log writer stopped; further records will be dropped")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);
}
