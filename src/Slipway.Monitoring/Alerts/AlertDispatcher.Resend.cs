using Slipway.Core.Threading;
using Slipway.Monitoring.Monitors;

namespace Slipway.Monitoring.Alerts;

public sealed partial class AlertDispatcher
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // A failed pass only delays re-sends: the next tick tries again.
        PeriodicWork.RunAsync(_options.ResendInterval, _clock, runFirst: false, ResendAsync,
            exception => LogResendFailed(_logger, exception), stoppingToken);

    /// <summary>
    /// One re-send pass: every firing alert, and every alert resolved within
    /// <see cref="AlertingOptions.ResolvedResendWindow"/>, goes again to the re-sending (Alertmanager) channels of its
    /// rule. Each re-send is claimed in the store first (<see cref="IAlertStateStore.TryClaimResendAsync"/>), which
    /// records it in <c>LastSentAt</c> (a failed send is tried again at a later tick), so that with several replicas
    /// only one sends it. Also refreshes the firing-alerts gauge.
    /// </summary>
    internal async Task ResendAsync(CancellationToken ct)
    {
        var now = Now();
        var resolvedSince = now - _options.ResolvedResendWindow;
        var active = await _store.ListAsync(null, activeOnly: true, ct);
        AlertMetrics.SetFiring(active, _specs.Keys);
        foreach (var monitor in active.Select(a => a.Monitor).Distinct(StringComparer.Ordinal))
        {
            var spec = await SpecOfAsync(monitor, ct);
            if (spec is null)
            {
                LogNoSpec(_logger, monitor);
                continue;
            }
            if (!spec.Channels.Any(c => _notifiers.TryGetValue(c.Type, out var notifier) && notifier.Resends))
                continue;
            var gate = _gates.GetOrAdd(monitor, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(ct);
            try
            {
                // Read again under the monitor's gate: a run may have resolved or started episodes since the list above.
                var current = await _store.ListAsync(monitor, activeOnly: true, ct);
                var due = new List<(AlertState State, bool Changed)>();
                foreach (var alert in current)
                {
                    if (alert.Status != AlertStatus.Firing && (alert.EndsAt is not { } endsAt || endsAt < resolvedSince))
                        continue;
                    // Sent within the last half interval (by a run, or by a replica whose timer ticked first): not due yet.
                    if (alert.LastSentAt is { } lastSent && now - lastSent < _options.ResendInterval / 2)
                        continue;
                    // One replica claims each re-send, so Alertmanager hears it once per interval however many replicas run.
                    if (await _store.TryClaimResendAsync(alert, now, ct))
                        due.Add((alert with { LastSentAt = now }, false));
                }
                if (due.Count > 0)
                    await DeliverAsync(spec, due, resendsOnly: true, ct);
            }
            finally
            {
                gate.Release();
            }
        }
    }

    /// <summary>A monitor's current spec: from the monitor store when there is one, else from its last run here.</summary>
    private async Task<MonitorSpec?> SpecOfAsync(string monitor, CancellationToken ct)
    {
        if (_monitors is not null)
        {
            try
            {
                // A deleted monitor is null here: its alerts stop being re-sent and Alertmanager lets them expire.
                return (await _monitors.GetAsync(monitor, ct))?.Spec;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                LogMonitorLookupFailed(_logger, monitor, ex);
            }
        }
        return _specs.GetValueOrDefault(monitor);
    }
}
