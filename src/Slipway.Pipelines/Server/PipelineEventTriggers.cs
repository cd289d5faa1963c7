using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Slipway.Core.Audit;
using Slipway.Monitoring.Alerts;
using Slipway.Pipelines.Definition;
using Slipway.Registry.Domain;
using Slipway.Registry.Hooks;

namespace Slipway.Pipelines.Server;

/// <summary>
/// Starts pipelines on events: a monitor alert that starts firing (through the monitoring module's
/// <see cref="IAlertActionSink"/>) and a new model version (through the registry's <see cref="IModelVersionCreatedHook"/>).
/// A triggered run is queued like any other, so a pipeline at its <c>concurrency</c> limit runs it later.
/// </summary>
/// <remarks>
/// Alerts: the dispatcher calls the sink once per action named by the firing rule. An action <c>pipeline:NAME</c> starts
/// pipeline NAME; any action starts every pipeline whose <c>on: monitor_alert</c> names the alert's monitor. One alert
/// episode starts a pipeline at most once, however many actions its rule names.
/// </remarks>
public sealed partial class PipelineEventTriggers(PipelineService service, ILogger<PipelineEventTriggers> logger)
    : IAlertActionSink, IModelVersionCreatedHook
{
    /// <summary>The alert action that names a pipeline directly: <c>pipeline:NAME</c>.</summary>
    public const string ActionPrefix = "pipeline:";

    private const int RememberedEpisodes = 10_000;
    private readonly ConcurrentDictionary<string, byte> _started = new(StringComparer.Ordinal);

    public async Task OnAlertFiringAsync(string action, AlertState alert, CancellationToken ct)
    {
        var trigger = new PipelineTrigger { Kind = PipelineTrigger.MonitorAlert, Monitor = alert.Monitor, AlertId = alert.Id };
        var names = action.StartsWith(ActionPrefix, StringComparison.Ordinal)
            ? [action[ActionPrefix.Length..]]
            : await PipelinesOnAsync(t => t.MonitorAlerts.Contains(alert.Monitor, StringComparer.Ordinal), ct);
        foreach (var name in names)
        {
            if (_started.Count > RememberedEpisodes)
                _started.Clear();
            if (_started.TryAdd(alert.Id + "\n" + name, 0))
                await StartAsync(name, trigger, ct);
        }
    }

    public async Task OnModelVersionCreatedAsync(ModelVersion version, CancellationToken ct)
    {
        var trigger = new PipelineTrigger
        {
            Kind = PipelineTrigger.ModelVersion,
            Model = version.Name,
            Version = version.Version.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var name in await PipelinesOnAsync(t => t.ModelVersions.Contains(version.Name, StringComparer.Ordinal), ct))
            await StartAsync(name, trigger, ct);
    }

    private async Task<List<string>> PipelinesOnAsync(Func<PipelineTriggers, bool> listens, CancellationToken ct) =>
        (await service.ListAsync(ct)).Where(p => p.Record.Enabled && listens(p.Definition.Triggers)).Select(p => p.Record.Name).ToList();

    private async Task StartAsync(string name, PipelineTrigger trigger, CancellationToken ct)
    {
        try
        {
            var run = await service.StartRunAsync(name, new Dictionary<string, string>(), trigger, null, AuditContext.System, ct);
            LogTriggered(logger, name, run.Id, trigger.Kind);
        }
        catch (Exception exception) when (!ct.IsCancellationRequested)
        {
            LogTriggerFailed(logger, name, trigger.Kind, exception);
        }
    }

    [LoggerMessage(EventId = 6020, Level = LogLevel.Information, Message = "Queued pipeline {Pipeline} run {RunId} ({Trigger})")]
    private static partial void LogTriggered(ILogger logger, string pipeline, string runId, string trigger);

    [LoggerMessage(EventId = 6021, Level = LogLevel.Error, Message = "Could not start pipeline {Pipeline} for a {Trigger} trigger")]
    private static partial void LogTriggerFailed(ILogger logger, string pipeline, string trigger, Exception exception);
}
