using Slipway.Monitoring.Alerts.Notifiers;
using Slipway.Monitoring.Monitors;

namespace Slipway.Monitoring.Alerts;

public sealed partial class AlertDispatcher
{
    /// <summary>Sends a run's transitions: starts and resolutions everywhere, updates to re-sending channels too.</summary>
    private Task<HashSet<string>> DeliverRunAsync(MonitorSpec spec, IReadOnlyList<AlertTransition> transitions, CancellationToken ct)
    {
        var alerts = new List<(AlertState State, bool Changed)>(transitions.Count);
        foreach (var transition in transitions)
            alerts.Add((transition.State, transition.Change != AlertChange.Updated));
        return DeliverAsync(spec, alerts, resendsOnly: false, ct);
    }

    /// <summary>
    /// Sends each alert to the channels its rule routes to, every channel in parallel. Channels that do not re-send
    /// only get changed alerts; with <paramref name="resendsOnly"/> only re-sending channels are used at all.
    /// </summary>
    /// <returns>The ids of the alerts at least one channel took.</returns>
    private async Task<HashSet<string>> DeliverAsync(
        MonitorSpec spec, IReadOnlyList<(AlertState State, bool Changed)> alerts, bool resendsOnly, CancellationToken ct)
    {
        var sends = new List<(IReadOnlyList<AlertState> Alerts, Task<bool> Sent)>();
        foreach (var channel in spec.Channels)
        {
            if (!_notifiers.TryGetValue(channel.Type, out var notifier))
            {
                LogUnknownChannelType(_logger, spec.Name, channel.Name, channel.Type);
                continue;
            }
            if (resendsOnly && !notifier.Resends)
                continue;
            var routed = new List<AlertState>();
            foreach (var (state, changed) in alerts)
            {
                if ((changed || notifier.Resends) && Routes(spec, state.Rule, channel.Name))
                    routed.Add(state);
            }
            if (routed.Count > 0)
                sends.Add((routed, SendAsync(notifier, channel, routed, ct)));
        }
        await Task.WhenAll(sends.Select(s => s.Sent));
        var delivered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (routed, sent) in sends)
        {
            if (sent.Result)
                delivered.UnionWith(routed.Select(a => a.Id));
        }
        return delivered;
    }

    private async Task<bool> SendAsync(IAlertNotifier notifier, AlertChannelSpec channel, IReadOnlyList<AlertState> alerts, CancellationToken ct)
    {
        try
        {
            return await notifier.SendAsync(channel, alerts, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Notifiers report failures as false; this is a bug in one, which must not stop the other channels.
            LogNotifierFailed(_logger, channel.Name, channel.Type, ex);
            return false;
        }
    }

    /// <summary>A rule's channels: the ones it names, or every channel when it names none (or no longer exists).</summary>
    private static bool Routes(MonitorSpec spec, string rule, string channel) =>
        RuleOf(spec, rule)?.Channels is not { } channels || channels.Contains(channel);

    /// <summary>Stores <c>LastSentAt</c> = now on the delivered alerts; returns them as stored.</summary>
    private async Task<Dictionary<string, AlertState>> MarkSentAsync(
        IEnumerable<AlertState> alerts, HashSet<string> delivered, DateTimeOffset now, CancellationToken ct)
    {
        var sent = new Dictionary<string, AlertState>(StringComparer.Ordinal);
        foreach (var alert in alerts)
        {
            if (!delivered.Contains(alert.Id))
                continue;
            var updated = alert with { LastSentAt = now };
            try
            {
                await _store.UpsertAsync(updated, ct);
                sent[alert.Id] = updated;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                LogStoreFailed(_logger, alert.Monitor, ex);
            }
        }
        return sent;
    }
}
