using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Client;
using ModelVersion = Slipway.Registry.Domain.ModelVersion;
using Run = Slipway.Client.Run;
using Slipway.Core.Audit;
using Slipway.Monitoring.Alerts;
using Slipway.Pipelines.Definition;
using Slipway.Pipelines.Tracking;
using Slipway.Registry.Domain;
using Slipway.Registry.Hooks;

namespace Slipway.Pipelines.Server;

/// <summary>
/// Starts pipelines on events: a monitor alert that starts firing (through the monitoring module's
/// <see cref="IAlertActionSink"/>) and a new model version (through the registry's <see cref="IModelVersionCreatedHook"/>).
/// A triggered run is queued like any other, so a pipeline at its <c>concurrency</c> limit runs it later.
/// </summary>
/// <remarks>
/// New versions are handed to a channel that this hosted service drains, so creating a model version never waits on
/// pipeline starts. A pipeline is not started by a version that came out of one of its own runs (the version's
/// <c>slipway.pipeline</c> tag, or its source run or that run's parent naming the pipeline), so a pipeline that
/// registers the model it listens to runs once per outside version, not in a loop.
/// <para>
/// Alerts: the dispatcher calls the sink once per action named by the firing rule (once with an empty action when the
/// rule names none). An action <c>pipeline:NAME</c> starts pipeline NAME; any other action starts every
/// pipeline whose <c>on: monitor_alert</c> names the alert's monitor. One alert episode starts a pipeline at most once, however many actions its rule names.
/// </para>
/// </remarks>
public sealed partial class PipelineEventTriggers(
    PipelineService service, LoopbackClientFactory loopback, ILogger<PipelineEventTriggers> logger)
    : BackgroundService, IAlertActionSink, IModelVersionCreatedHook
{
    /// <summary>The alert action that names a pipeline directly: <c>pipeline:NAME</c>.</summary>
    public const string ActionPrefix = "pipeline:";

    private const int RememberedEpisodes = 10_000;
    private const int PendingVersions = 10_000;
    private readonly ConcurrentDictionary<string, byte> _started = new(StringComparer.Ordinal);
    private readonly Channel<ModelVersion> _versions = Channel.CreateBounded<ModelVersion>(
        new BoundedChannelOptions(PendingVersions) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

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

    /// <summary>Queues the version for the background loop and returns at once (the registry calls this on the request path).</summary>
    public Task OnModelVersionCreatedAsync(ModelVersion version, CancellationToken ct)
    {
        if (!_versions.Writer.TryWrite(version))
            LogVersionDropped(logger, version.Name, version.Version);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var version in _versions.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await StartForVersionAsync(version, stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    LogVersionFailed(logger, version.Name, version.Version, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task StartForVersionAsync(ModelVersion version, CancellationToken ct)
    {
        var trigger = new PipelineTrigger
        {
            Kind = PipelineTrigger.ModelVersion,
            Model = version.Name,
            Version = version.Version.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var name in await PipelinesForVersionAsync(version, ct))
            await StartAsync(name, trigger, ct);
    }

    /// <summary>
    /// The enabled pipelines whose <c>on: model_version</c> names the version's model, less those the version came from
    /// (see the remarks): the pipelines a new version starts.
    /// </summary>
    public async Task<IReadOnlyList<string>> PipelinesForVersionAsync(ModelVersion version, CancellationToken ct)
    {
        var listening = await PipelinesOnAsync(t => t.ModelVersions.Contains(version.Name, StringComparer.Ordinal), ct);
        if (listening.Count == 0)
            return listening;
        var origins = await OriginPipelinesAsync(version, ct);
        foreach (var name in listening.Where(origins.Contains))
            LogSelfTriggerSkipped(logger, name, version.Name, version.Version);
        return [.. listening.Where(n => !origins.Contains(n))];
    }

    /// <summary>The pipelines a version came out of: its <c>slipway.pipeline</c> tag, and the tag on its source run or that run's parent.</summary>
    private async Task<HashSet<string>> OriginPipelinesAsync(ModelVersion version, CancellationToken ct)
    {
        var origins = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in version.Tags.Where(t => t.Key == PipelineRunTags.Pipeline))
            origins.Add(tag.Value);
        if (string.IsNullOrEmpty(version.RunId))
            return origins;
        try
        {
            var source = await loopback.Client.GetRunAsync(version.RunId, ct);
            AddPipelineTag(source, origins);
            if (TagValue(source, PipelineRunTags.ParentRunId) is { Length: > 0 } parentId)
                AddPipelineTag(await loopback.Client.GetRunAsync(parentId, ct), origins);
        }
        catch (Exception exception) when (exception is SlipwayApiException or HttpRequestException or Core.Errors.SlipwayException)
        {
            // An unreadable source run (deleted, say) is treated as not coming from a pipeline.
            LogSourceUnreadable(logger, version.RunId, exception);
        }
        return origins;
    }

    private static void AddPipelineTag(Run run, HashSet<string> origins)
    {
        if (TagValue(run, PipelineRunTags.Pipeline) is { Length: > 0 } pipeline)
            origins.Add(pipeline);
    }

    private static string? TagValue(Run run, string key) => run.Data.Tags.Where(t => t.Key == key).Select(t => t.Value).FirstOrDefault();

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

    [LoggerMessage(EventId = 6022, Level = LogLevel.Information, Message = "Not starting pipeline {Pipeline} for {Model} version {Version}: the version came out of a run of that pipeline")]
    private static partial void LogSelfTriggerSkipped(ILogger logger, string pipeline, string model, long version);

    [LoggerMessage(EventId = 6023, Level = LogLevel.Error, Message = "Could not start the pipelines listening to {Model} version {Version}")]
    private static partial void LogVersionFailed(ILogger logger, string model, long version, Exception exception);

    [LoggerMessage(EventId = 6024, Level = LogLevel.Warning, Message = "Too many model versions are waiting to trigger pipelines; {Model} version {Version} triggers none")]
    private static partial void LogVersionDropped(ILogger logger, string model, long version);

    [LoggerMessage(EventId = 6025, Level = LogLevel.Warning, Message = "Could not read source run {RunId} of a new model version; assuming it is not a pipeline's")]
    private static partial void LogSourceUnreadable(ILogger logger, string runId, Exception exception);
}
