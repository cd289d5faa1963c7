using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using Slipway.Cli.Output;
using Slipway.Client;

namespace Slipway.Cli.Commands;

/// <summary>
/// <c>slipway monitors create|update|get|list|delete|run|history|report|alerts</c>: drift monitors on serving
/// endpoints, run on the server on a schedule or on demand. (<c>slipway monitor report</c> compares two files locally.)
/// </summary>
internal static partial class MonitorCommands
{
    /// <summary>The exit code of <c>run --fail-on-drift</c> on dataset drift, as for <c>slipway monitor report</c>; 1 and 2 stay errors.</summary>
    public const int DriftDetected = 3;

    public static Command Create(ClientCommandFactory factory) =>
        new("monitors", "Drift monitors on serving endpoints: their specs, runs, reports and alerts.")
        {
            Write(factory, "create", "Create a monitor on an endpoint, from options or from a spec file (--file)."),
            Write(factory, "update", "Replace a monitor's spec (from options or --file); its run history stays."),
            Get(factory),
            List(factory),
            Delete(factory),
            Run(factory),
            History(factory),
            Report(factory),
            Alerts(factory),
        };

    private static Command Write(ClientCommandFactory factory, string verb, string description)
    {
        var name = new Argument<string>("NAME") { Description = "The monitor's name (optional with --file, which may name it).", Arity = ArgumentArity.ZeroOrOne };
        var options = new SpecOptions();
        var command = factory.Create(verb, description, async call =>
        {
            var (spec, problem) = options.Build(call, call.Value(name));
            if (spec is null)
                return call.Cli.Usage(problem!);
            var monitor = verb == "create"
                ? await call.Client.CreateMonitorAsync(spec, call.CancellationToken)
                : await call.Client.UpdateMonitorAsync(spec, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(monitor, MonitorCliJsonContext.Default.EndpointMonitor);
            await call.Cli.Out.WriteLineAsync($"{(verb == "create" ? "Created" : "Updated")} monitor '{monitor.Spec.Name}' on endpoint '{monitor.Spec.Endpoint}'.");
            WriteSpec(call, monitor);
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        options.AddTo(command);
        return command;
    }

    private static Command Get(ClientCommandFactory factory)
    {
        var name = NameArgument();
        var command = factory.Create("get", "Show a monitor's spec and schedule.", async call =>
        {
            var monitor = await call.Client.GetMonitorAsync(call.Value(name)!, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(monitor, MonitorCliJsonContext.Default.EndpointMonitor);
            WriteSpec(call, monitor);
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        return command;
    }

    private static Command List(ClientCommandFactory factory)
    {
        var endpoint = new Option<string>("--endpoint") { Description = "Only the monitors of this endpoint." };
        var command = factory.Create("list", "List monitors.", async call =>
        {
            var monitors = await call.Client.ListMonitorsAsync(call.Value(endpoint), call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new MonitorsList(monitors), MonitorCliJsonContext.Default.MonitorsList);
            var table = Tables.Create("Name", "Endpoint", "Reference", "Window", "Schedule", "Next run", "Updated");
            foreach (var monitor in monitors)
            {
                var spec = monitor.Spec;
                table.AddTextRow(spec.Name, spec.Endpoint, Describe(spec.Reference), Duration(spec.Window), spec.Schedule ?? "on demand",
                    Tables.Time(monitor.NextRunTime), Tables.Time(monitor.LastUpdatedTime));
            }
            call.Cli.Console.Write(table);
            return CliApp.Success;
        });
        command.Options.Add(endpoint);
        return command;
    }

    private static Command Delete(ClientCommandFactory factory)
    {
        var name = NameArgument();
        var command = factory.Create("delete", "Delete a monitor with its run history, reports and alerts.", async call =>
        {
            var monitorName = call.Value(name)!;
            await call.Client.DeleteMonitorAsync(monitorName, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new EmptyResult(), MonitorCliJsonContext.Default.EmptyResult);
            await call.Cli.Out.WriteLineAsync($"Deleted monitor '{monitorName}'.");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        return command;
    }

    private static void WriteSpec(ClientInvocation call, EndpointMonitor monitor)
    {
        var spec = monitor.Spec;
        var table = Tables.Create("Field", "Value");
        table.AddTextRow("name", spec.Name);
        table.AddTextRow("endpoint", spec.Endpoint);
        table.AddTextRow("reference", Describe(spec.Reference));
        table.AddTextRow("window", Duration(spec.Window));
        table.AddTextRow("features", spec.Features.Count == 0 ? "every shared column" : string.Join(", ", spec.Features.Select(Describe)));
        table.AddTextRow("predictions", string.Join(", ", spec.Predictions.Select(Describe)));
        table.AddTextRow("schedule", spec.Schedule ?? "on demand");
        table.AddTextRow("next_run", Tables.Time(monitor.NextRunTime));
        table.AddTextRow("drift_share", spec.DriftShare is { } share ? Tables.Number(share) : "");
        table.AddTextRow("method", spec.Method ?? "per column (Evidently's default)");
        table.AddTextRow("threshold", spec.Threshold is { } threshold ? Tables.Number(threshold) : "");
        table.AddTextRow("max_rows", spec.MaxRows?.ToString(CultureInfo.InvariantCulture));
        table.AddTextRow("alerts", string.Join(", ", spec.Alerts.Select(a => a.Threshold is { } t ? $"{a.Name} ({a.Kind} ≥ {Tables.Number(t)})" : $"{a.Name} ({a.Kind})")));
        table.AddTextRow("channels", string.Join(", ", spec.Channels.Select(c => $"{c.Name} ({c.Type} {c.Url})")));
        table.AddTextRow("created", Tables.Time(monitor.CreationTime));
        table.AddTextRow("updated", Tables.Time(monitor.LastUpdatedTime));
        call.Cli.Console.Write(table);
    }

    private static string Describe(MonitorReference reference) => reference.Kind switch
    {
        "dataset" => reference.Uri ?? "dataset",
        "window" => $"traffic {reference.From?.UtcDateTime:yyyy-MM-dd HH:mm}Z to {reference.To?.UtcDateTime:yyyy-MM-dd HH:mm}Z",
        "model" => "the model's logged dataset",
        _ => reference.Kind,
    };

    private static string Describe(MonitorFeature feature) =>
        feature.Name + "=" + feature.Column + (feature.Type is null ? "" : ":" + feature.Type);

    private static string Duration(TimeSpan? window) => window is { } w ? MonitorDurations.Format(w) : "";

    private static Argument<string> NameArgument() => new("NAME") { Description = "The monitor's name." };
}

/// <summary>The shapes <c>--json</c> prints for the monitor commands, in the server's snake_case format.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    WriteIndented = true)]
[JsonSerializable(typeof(EndpointMonitor))]
[JsonSerializable(typeof(MonitorsList))]
[JsonSerializable(typeof(MonitorRun))]
[JsonSerializable(typeof(MonitorRunsPage))]
[JsonSerializable(typeof(MonitorAlertsList))]
[JsonSerializable(typeof(DownloadedArtifacts))]
[JsonSerializable(typeof(EmptyResult))]
internal sealed partial class MonitorCliJsonContext : JsonSerializerContext;

internal sealed record MonitorsList(IReadOnlyList<EndpointMonitor> Monitors);

internal sealed record MonitorRunsPage(IReadOnlyList<MonitorRun> Runs, string? NextPageToken);

internal sealed record MonitorAlertsList(IReadOnlyList<MonitorAlert> Alerts);
