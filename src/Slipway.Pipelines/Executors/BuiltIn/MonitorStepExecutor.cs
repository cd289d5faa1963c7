using System.Globalization;
using Slipway.Client;
using Slipway.Pipelines.Execution;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>
/// <c>uses: monitor</c>: creates a drift monitor on a serving endpoint, or updates it when it exists. An update changes
/// only what the step names, so features, channels or rules set up elsewhere stay as they are.
/// </summary>
/// <remarks>
/// <c>with:</c> <c>endpoint</c>, <c>name</c> (default <c>&lt;endpoint&gt;-drift</c>), <c>schedule</c> (cron, UTC),
/// <c>reference</c> (model|dataset|window, default model), <c>reference_uri</c> (the file of a dataset reference),
/// <c>reference_from</c>/<c>reference_to</c> (RFC 3339, a window reference), <c>window</c> (e.g. 1d), <c>method</c>,
/// <c>threshold</c>, <c>drift_share</c>, <c>max_rows</c>, and one alert rule: <c>alert</c> (drift_share,
/// feature_drift, prediction_drift, data_quality or performance), <c>alert_threshold</c>, <c>alert_metric</c>,
/// <c>alert_actions</c> (comma-separated), <c>webhook</c> (a URL alerts are posted to). Output <c>monitor_id</c>
/// (the monitor's name, which identifies it in the API).
/// </remarks>
public sealed class MonitorStepExecutor(SlipwayClient client) : BuiltInStepExecutor(client)
{
    private static readonly string[] ReferenceKinds = ["model", "dataset", "window"];
    private static readonly string[] AlertKinds = ["drift_share", "feature_drift", "prediction_drift", "data_quality", "performance"];

    protected override async Task<StepResult> ExecuteCoreAsync(StepArguments arguments, StepInvocation invocation, CancellationToken cancellationToken)
    {
        var endpoint = arguments.Required("endpoint");
        var name = arguments.Optional("name") ?? $"{endpoint}-drift";
        var existing = await FindAsync(name, cancellationToken);
        if (existing is not null && existing.Spec.Endpoint != endpoint)
            return Fail(invocation, $"monitor {name} already watches endpoint {existing.Spec.Endpoint}, not {endpoint}; give this step another 'name'");

        var spec = Apply(arguments, existing?.Spec ?? new MonitorSpec { Name = name, Endpoint = endpoint, Reference = MonitorReference.Model() }, existing is null);
        var stored = existing is null
            ? await Client.CreateMonitorAsync(spec, cancellationToken)
            : await Client.UpdateMonitorAsync(spec, cancellationToken);
        Log(invocation, $"{(existing is null ? "created" : "updated")} monitor {stored.Spec.Name} on endpoint {endpoint} (reference {stored.Spec.Reference.Kind}" +
            (stored.Spec.Schedule is { } cron ? $", schedule '{cron}'" : ", on demand") + ")");
        await TagStepRunAsync(invocation, "slipway.monitor", stored.Spec.Name, cancellationToken);
        return StepResult.Success(new Dictionary<string, string>(StringComparer.Ordinal) { ["monitor_id"] = stored.Spec.Name });
    }

    private async Task<EndpointMonitor?> FindAsync(string name, CancellationToken ct)
    {
        try
        {
            return await Client.GetMonitorAsync(name, ct);
        }
        catch (SlipwayApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private static MonitorSpec Apply(StepArguments arguments, MonitorSpec spec, bool creating)
    {
        if (creating || arguments.Has("reference") || arguments.Has("reference_uri"))
            spec = spec with { Reference = Reference(arguments) };
        if (arguments.Optional("schedule") is { } schedule)
            spec = spec with { Schedule = schedule };
        if (arguments.Has("window"))
            spec = spec with { Window = arguments.Duration("window") };
        if (arguments.Optional("method") is { } method)
            spec = spec with { Method = method };
        if (arguments.OptionalNumber("threshold") is { } threshold)
            spec = spec with { Threshold = threshold };
        if (arguments.OptionalNumber("drift_share") is { } share)
            spec = spec with { DriftShare = share };
        if (arguments.OptionalInteger("max_rows") is { } maxRows)
            spec = spec with { MaxRows = maxRows };
        if (arguments.Optional("webhook") is { } url)
        {
            var channel = new MonitorAlertChannel("pipeline-webhook", "webhook", url);
            spec = spec with { Channels = [.. spec.Channels.Where(c => c.Name != channel.Name), channel] };
        }
        if (arguments.Has("alert"))
        {
            var rule = AlertRule(arguments);
            spec = spec with { Alerts = [.. spec.Alerts.Where(a => a.Name != rule.Name), rule] };
        }
        return spec;
    }

    private static MonitorReference Reference(StepArguments arguments)
    {
        var kind = arguments.Choice("reference", ReferenceKinds, arguments.Has("reference_uri") ? "dataset" : "model");
        return kind switch
        {
            "dataset" => MonitorReference.Dataset(arguments.Required("reference_uri")),
            "window" => MonitorReference.Traffic(Time(arguments, "reference_from"), Time(arguments, "reference_to")),
            _ => MonitorReference.Model(),
        };
    }

    private static MonitorAlertRule AlertRule(StepArguments arguments)
    {
        var kind = arguments.Choice("alert", AlertKinds);
        if (kind == "performance" && !arguments.Has("alert_metric"))
            throw new StepArgumentException("alert_metric", "a performance alert needs 'with: alert_metric' (e.g. accuracy, rmse)");
        var actions = arguments.Optional("alert_actions")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new MonitorAlertRule
        {
            // One rule per kind from pipelines, so re-running the step replaces it instead of adding another.
            Name = $"pipeline-{kind.Replace('_', '-')}",
            Kind = kind,
            Threshold = arguments.OptionalNumber("alert_threshold"),
            Metric = arguments.Optional("alert_metric"),
            Actions = actions is { Length: > 0 } ? actions : null,
        };
    }

    private static DateTimeOffset Time(StepArguments arguments, string key)
    {
        var text = arguments.Required(key);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new StepArgumentException(key, $"with: {key} = '{text}' is not a time such as 2026-01-31T00:00:00Z");
    }
}
