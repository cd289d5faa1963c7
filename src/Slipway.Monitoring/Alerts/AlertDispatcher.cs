using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Monitoring.Alerts.Notifiers;
using Slipway.Monitoring.Monitors;

namespace Slipway.Monitoring.Alerts;

/// <summary>
/// Turns monitor runs into alert episodes and delivers them. After each run the monitor runner calls
/// <see cref="ProcessRunAsync"/>: the run is evaluated (<see cref="AlertEvaluator"/>), the changed episodes are
/// stored, the rule's channels hear of them (webhook and Slack only of starts and resolutions, Alertmanager of every
/// change) and the rule's actions run once per started episode. As a hosted service it also re-sends, every
/// <see cref="AlertingOptions.ResendInterval"/>, the firing and recently resolved alerts to Alertmanager channels,
/// which keep an alert only while it is repeated. One monitor's work is serialised (a run and a re-send must not
/// overwrite each other's episode state); different monitors proceed in parallel. Delivery failures are logged,
/// counted and never thrown.
/// </summary>
public sealed partial class AlertDispatcher : BackgroundService
{
    private readonly IAlertStateStore _store;
    private readonly Dictionary<string, IAlertNotifier> _notifiers;
    private readonly IAlertActionSink[] _sinks;
    private readonly IMonitorStore? _monitors;
    private readonly AlertingOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<AlertDispatcher> _logger;

    // The last spec each monitor ran with: the channels to re-send to when no monitor store is registered.
    private readonly ConcurrentDictionary<string, MonitorSpec> _specs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <param name="monitors">Where re-sends look up a monitor's current channels; without it, the spec of its last run in this process.</param>
    public AlertDispatcher(
        IAlertStateStore store, IEnumerable<IAlertNotifier> notifiers, IEnumerable<IAlertActionSink> sinks, AlertingOptions options,
        TimeProvider clock, ILogger<AlertDispatcher> logger, IMonitorStore? monitors = null)
    {
        _store = store;
        _notifiers = notifiers.ToDictionary(n => n.ChannelType, StringComparer.Ordinal);
        _sinks = sinks.ToArray();
        _monitors = monitors;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>
    /// Evaluates a finished run's alert rules, stores the changed episodes and notifies. Never throws for a store or
    /// delivery failure (they are logged: alerting must not fail the run); only <paramref name="ct"/>'s cancellation.
    /// </summary>
    /// <param name="runUrl">A link to the run (report, UI page): the <c>run_url</c> annotation and Alertmanager's <c>generatorURL</c>.</param>
    /// <returns>The started, updated and resolved episodes as stored; empty when nothing changed or the store failed.</returns>
    public async Task<IReadOnlyList<AlertTransition>> ProcessRunAsync(MonitorSpec spec, MonitorRunResult result, string? runUrl, CancellationToken ct)
    {
        _specs[spec.Name] = spec;
        var gate = _gates.GetOrAdd(spec.Name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var now = Now();
            IReadOnlyList<AlertTransition> transitions;
            try
            {
                var episodes = await _store.ListAsync(spec.Name, activeOnly: true, ct);
                transitions = AlertEvaluator.Evaluate(spec, result, episodes, now, runUrl);
                foreach (var transition in transitions)
                    await _store.UpsertAsync(transition.State, ct);
                var firing = episodes.Count(e => e.Status == AlertStatus.Firing)
                    + transitions.Count(t => t.Change == AlertChange.Started) - transitions.Count(t => t.Change == AlertChange.Resolved);
                AlertMetrics.Firing.WithLabels(spec.Name).Set(firing);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // Notifying about episodes that were not stored would announce the same start again next run.
                LogStoreFailed(_logger, spec.Name, ex);
                return [];
            }
            if (transitions.Count == 0)
                return transitions;

            foreach (var transition in transitions)
            {
                if (transition.Change == AlertChange.Started)
                    LogStarted(_logger, spec.Name, transition.State.Rule, transition.State.Fingerprint, transition.State.Id);
                else if (transition.Change == AlertChange.Resolved)
                    LogResolved(_logger, spec.Name, transition.State.Rule, transition.State.Fingerprint, transition.State.Id);
            }
            var delivered = await DeliverRunAsync(spec, transitions, ct);
            await RunActionsAsync(spec, transitions, ct);
            var sent = await MarkSentAsync(transitions.Select(t => t.State), delivered, now, ct);
            return transitions.Select(t => new AlertTransition(sent.GetValueOrDefault(t.State.Id, t.State), t.Change)).ToList();
        }
        finally
        {
            gate.Release();
        }
    }

    private static readonly string[] NoAction = [""];

    private async Task RunActionsAsync(MonitorSpec spec, IReadOnlyList<AlertTransition> transitions, CancellationToken ct)
    {
        foreach (var transition in transitions)
        {
            if (transition.Change != AlertChange.Started || RuleOf(spec, transition.State.Rule) is not { } rule)
                continue;
            // A rule without actions still tells the sinks once (empty action): pipelines started by `on: monitor_alert`
            // listen to the monitor, not to a named action.
            IReadOnlyList<string> actions = rule.Actions is { Count: > 0 } named ? named : NoAction;
            foreach (var action in actions)
            {
                foreach (var sink in _sinks)
                {
                    try
                    {
                        await sink.OnAlertFiringAsync(action, transition.State, ct);
                    }
                    catch (Exception ex) when (!ct.IsCancellationRequested)
                    {
                        LogActionFailed(_logger, action, spec.Name, transition.State.Rule, sink.GetType().Name, ex);
                    }
                }
            }
        }
    }

    // Whole milliseconds: what the stores keep and the payloads carry, so a stored episode equals what was sent.
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(_clock.GetUtcNow().ToUnixTimeMilliseconds());

    private static AlertRuleSpec? RuleOf(MonitorSpec spec, string rule) => spec.Alerts.FirstOrDefault(r => r.Name == rule);

    public override void Dispose()
    {
        foreach (var gate in _gates.Values)
            gate.Dispose();
        base.Dispose();
    }
}
