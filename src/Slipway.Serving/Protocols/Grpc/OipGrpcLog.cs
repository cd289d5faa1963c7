using Microsoft.Extensions.Logging;

namespace Slipway.Serving.Protocols.Grpc;

internal static partial class OipGrpcLog
{
    [LoggerMessage(EventId = 4400, Level = LogLevel.Error, Message = "OIP gRPC inference on model {Model} failed unexpectedly")]
    public static partial void InferenceFailed(ILogger logger, Exception exception, string model);
}
