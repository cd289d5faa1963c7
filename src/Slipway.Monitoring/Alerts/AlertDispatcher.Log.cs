using Microsoft.Extensions.Logging;

namespace Slipway.Monitoring.Alerts;

// Alerting's event ids: 5400-5409 delivery (AlertHttpSender), 5410-5429 the dispatcher.
public sealed partial class AlertDispatcher
{
    [LoggerMessage(EventId = 5410, Level = LogLevel.Warning, Message = "Alert {Rule} of monitor {Monitor} started firing (fingerprint {Fingerprint}, episode {EpisodeId})")]
    private static partial void LogStarted(ILogger logger, string monitor, string rule, string fingerprint, string episodeId);

    [LoggerMessage(EventId = 5411, Level = LogLevel.Information, Message = "Alert {Rule} of monitor {Monitor} resolved (fingerprint {Fingerprint}, episode {EpisodeId})")]
    private static partial void LogResolved(ILogger logger, string monitor, string rule, string fingerprint, string episodeId);

    [LoggerMessage(EventId = 5412, Level = LogLevel.Error, Message = "Could not read or store the alert episodes of monitor {Monitor}; its alerts are not updated this time")]
    private static partial void LogStoreFailed(ILogger logger, string monitor, Exception exception);

    [LoggerMessage(EventId = 5413, Level = LogLevel.Error, Message = "Alert action {Action} of rule {Rule} on monitor {Monitor} failed in {Sink}")]
    private static partial void LogActionFailed(ILogger logger, string action, string monitor, string rule, string sink, Exception exception);

    [LoggerMessage(EventId = 5414, Level = LogLevel.Warning, Message = "Channel {Channel} of monitor {Monitor} has type {Type}, which no notifier serves; skipped")]
    private static partial void LogUnknownChannelType(ILogger logger, string monitor, string channel, string type);

    [LoggerMessage(EventId = 5415, Level = LogLevel.Error, Message = "The notifier of channel {Channel} ({Type}) threw; counted as not delivered")]
    private static partial void LogNotifierFailed(ILogger logger, string channel, string type, Exception exception);

    [LoggerMessage(EventId = 5416, Level = LogLevel.Error, Message = "Alert re-send pass failed; retrying at the next interval")]
    private static partial void LogResendFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5417, Level = LogLevel.Debug, Message = "Monitor {Monitor} has active alerts but no known spec (deleted, or not run since start); not re-sent")]
    private static partial void LogNoSpec(ILogger logger, string monitor);

    [LoggerMessage(EventId = 5418, Level = LogLevel.Warning, Message = "Could not look up monitor {Monitor} for re-sending its alerts; using the spec of its last run here")]
    private static partial void LogMonitorLookupFailed(ILogger logger, string monitor, Exception exception);
}
