using Microsoft.Extensions.Logging;

namespace Slipway.Serving.Batch.Jobs;

internal static partial class BatchJobLog
{
    [LoggerMessage(EventId = 4700, Level = LogLevel.Information, Message = "Batch prediction job {JobId} started: {Model} on {Input}")]
    public static partial void Started(ILogger logger, string jobId, string model, string input);

    [LoggerMessage(EventId = 4701, Level = LogLevel.Information, Message = "Batch prediction job {JobId} wrote {Rows} rows to {Output} in {Seconds:F1} s")]
    public static partial void Succeeded(ILogger logger, string jobId, long rows, string output, double seconds);

    [LoggerMessage(EventId = 4702, Level = LogLevel.Warning, Message = "Batch prediction job {JobId} failed: {Error}")]
    public static partial void Failed(ILogger logger, string jobId, string error);

    [LoggerMessage(EventId = 4703, Level = LogLevel.Error, Message = "Batch prediction job {JobId} failed unexpectedly")]
    public static partial void Unexpected(ILogger logger, string jobId, Exception exception);
}
