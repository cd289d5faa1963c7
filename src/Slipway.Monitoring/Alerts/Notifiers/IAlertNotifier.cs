namespace Slipway.Monitoring.Alerts.Notifiers;

/// <summary>Delivers alerts to one kind of channel (<see cref="AlertChannelSpec.Type"/>).</summary>
public interface IAlertNotifier
{
    /// <summary>The channel type served, e.g. <c>webhook</c>.</summary>
    string ChannelType { get; }

    /// <summary>
    /// Whether the channel wants every firing alert (and recently resolved ones) again each re-send interval, as
    /// Alertmanager does; other channels only hear of state changes, since each message reaches a person.
    /// </summary>
    bool Resends { get; }

    /// <summary>
    /// Sends <paramref name="alerts"/> (one monitor's) to <paramref name="channel"/>; true when every one was
    /// delivered. Failures are logged and counted, never thrown; only <paramref name="ct"/>'s cancellation is.
    /// </summary>
    Task<bool> SendAsync(AlertChannelSpec channel, IReadOnlyList<AlertState> alerts, CancellationToken ct);
}
