using Microsoft.Extensions.Logging;

namespace Slipway.Web;

/// <summary>Log messages of the web UI (event ids 7000–7099). A page shows the user a short message; the details of
/// an unexpected failure are logged here, where <c>ErrorBox</c> tells the user to look.</summary>
public static partial class UiLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Error, Message = "UI: {Operation} failed")]
    public static partial void OperationFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "UI: {Operation} was refused: {Reason}")]
    public static partial void OperationRefused(ILogger logger, string operation, string reason);
}
