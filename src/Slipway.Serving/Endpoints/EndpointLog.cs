using Microsoft.Extensions.Logging;

namespace Slipway.Serving.Endpoints;

/// <summary>Log messages of endpoint management; event ids 4200–4219.</summary>
internal static partial class EndpointLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Loaded model {Model} (load and warm-up {LoadMilliseconds:F0} ms, {TotalMilliseconds:F0} ms with download)")]
    public static partial void ModelLoaded(ILogger logger, string model, double loadMilliseconds, double totalMilliseconds);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Model {Model} failed to load")]
    public static partial void ModelLoadFailed(ILogger logger, string model, Exception exception);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Model {Model} is no longer served; it is disposed after the grace period")]
    public static partial void ModelRetired(ILogger logger, string model);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Disposing model {Model} failed")]
    public static partial void ModelDisposeFailed(ILogger logger, string model, Exception exception);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Information, Message = "Endpoint {Endpoint} route {Route} now serves {Model}")]
    public static partial void RouteSwapped(ILogger logger, string endpoint, string route, string model);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "Endpoint {Endpoint} route {Route}: {Error}")]
    public static partial void RouteFailed(ILogger logger, string endpoint, string route, string error);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Error, Message = "Reconciling endpoints failed; retrying at the next interval")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4207, Level = LogLevel.Information, Message = "Endpoint {Endpoint} removed")]
    public static partial void EndpointRemoved(ILogger logger, string endpoint);
}
