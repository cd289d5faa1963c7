using Microsoft.Extensions.Logging;

namespace Slipway.Serving.DataPlane;

/// <summary>Log messages of the data plane's spec sources; event ids 4600–4619.</summary>
internal static partial class DataPlaneLog
{
    [LoggerMessage(EventId = 4600, Level = LogLevel.Warning, Message = "Reading endpoint specs from {Source} failed; still serving the {Count} endpoints read before. {Problem}")]
    public static partial void SourceFailed(ILogger logger, string source, int count, string problem);

    [LoggerMessage(EventId = 4601, Level = LogLevel.Information, Message = "Reading endpoint specs from {Source} works again")]
    public static partial void SourceRecovered(ILogger logger, string source);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Warning, Message = "Endpoints not found in {Source}: {Endpoints}")]
    public static partial void EndpointsMissing(ILogger logger, string source, string endpoints);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Information, Message = "Serving {Count} endpoints from {Source}: {Endpoints}")]
    public static partial void EndpointsListed(ILogger logger, string source, int count, string endpoints);
}
