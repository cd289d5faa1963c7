using System.CommandLine;
using System.Globalization;
using Slipway.Cli.Output;
using Slipway.Client;

namespace Slipway.Cli.Commands;

internal static partial class MonitorCommands
{
    private static Command Run(ClientCommandFactory factory)
    {
        var name = NameArgument();
        var windowEnd = new Option<string>("--window-end") { Description = "The end of the window to read (RFC 3339); default: now." };
        var failOnDrift = new Option<bool>("--fail-on-drift") { Description = $"Exit with code {DriftDetected} when the run finds dataset drift." };
        var command = factory.Create("run", "Run a monitor now and wait for it. Exit codes: 0 the run succeeded, 1 it failed, 2 bad arguments, "
            + $"{DriftDetected} dataset drift with --fail-on-drift.", async call =>
        {
            DateTimeOffset? end = null;
            if (call.Value(windowEnd) is { } endText)
            {
                if (!TryParseTime(endText, out var parsed))
                    return call.Cli.Usage($"--window-end '{endText}' is not an RFC 3339 time such as 2026-01-01T00:00:00Z.");
                end = parsed;
            }
            var run = await call.Client.RunMonitorAsync(call.Value(name)!, end, call.CancellationToken);
            if (call.Json)
                call.WriteJson(run, MonitorCliJsonContext.Default.MonitorRun);
            else
                await WriteRunAsync(call, run);
            if (run.Status != MonitorRunStatus.Succeeded)
                return call.Cli.Fail($"monitor run {run.Id} {run.Status.ToString().ToLowerInvariant()}: {run.Message ?? "no reason given"}");
            if (call.Value(failOnDrift) && run.DatasetDrift == true)
            {
                await call.Cli.Error.WriteLineAsync($"Dataset drift: {run.DriftedColumns} of {run.CheckedColumns} columns drifted.");
                return DriftDetected;
            }
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        command.Options.Add(windowEnd);
        command.Options.Add(failOnDrift);
        return command;
    }

    private static Command History(ClientCommandFactory factory)
    {
        var name = NameArgument();
        var maxResults = new Option<int?>("--max-results") { Description = "Runs per page, 1 to 1000 (default 50)." };
        var pageToken = new Option<string>("--page-token") { Description = "The token printed under the previous page." };
        var command = factory.Create("history", "List a monitor's runs, newest first.", async call =>
        {
            var page = await call.Client.ListMonitorRunsAsync(call.Value(name)!, call.Value(maxResults), call.Value(pageToken), call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new MonitorRunsPage(page.Items, page.NextPageToken), MonitorCliJsonContext.Default.MonitorRunsPage);
            var table = Tables.Create("Run", "Status", "Trigger", "Started", "Window end", "Rows", "Drift share", "Drifted", "Model version", "Message");
            foreach (var run in page.Items)
            {
                table.AddTextRow(run.Id, Status(run), run.Trigger, Tables.Time(run.StartTime), Tables.Time(run.WindowEnd),
                    run.RowsSeen.ToString(CultureInfo.InvariantCulture), Share(run.DriftShare), Drifted(run), run.ModelVersion, run.Message);
            }
            call.Cli.Console.Write(table);
            if (page.HasMore)
                await call.Cli.Out.WriteLineAsync($"More runs: add --page-token {page.NextPageToken}");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        command.Options.Add(maxResults);
        command.Options.Add(pageToken);
        return command;
    }

    private static Command Report(ClientCommandFactory factory)
    {
        var name = NameArgument();
        var runId = new Argument<string>("RUN_ID") { Description = "The run (see 'slipway monitors history')." };
        var output = new Option<string>("--out") { Description = "The file to write.", Required = true };
        var format = new Option<string>("--format") { Description = "html (one self-contained page) or json (every figure); default: from the --out extension, else html." };
        format.AcceptOnlyFromAmong("html", "json");
        var command = factory.Create("report", "Download a run's report.", async call =>
        {
            var path = Path.GetFullPath(call.Value(output)!);
            var chosen = call.Value(format) ?? (Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "html");
            // Write beside the target and move it into place, so a failed download never leaves a truncated report.
            var partial = path + ".partial-" + Guid.NewGuid().ToString("N")[..8];
            try
            {
                await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
                    await call.Client.DownloadMonitorReportAsync(call.Value(name)!, call.Value(runId)!, chosen, file, call.CancellationToken);
                File.Move(partial, path, overwrite: true);
            }
            finally
            {
                File.Delete(partial);
            }
            if (call.Json)
                return call.WriteJson(new DownloadedArtifacts(path), MonitorCliJsonContext.Default.DownloadedArtifacts);
            await call.Cli.Out.WriteLineAsync($"Wrote the {chosen} report of run {call.Value(runId)} to {path}.");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        command.Arguments.Add(runId);
        command.Options.Add(output);
        command.Options.Add(format);
        return command;
    }

    private static Command Alerts(ClientCommandFactory factory)
    {
        var name = new Argument<string>("NAME") { Description = "Only this monitor's alerts; default: every monitor's.", Arity = ArgumentArity.ZeroOrOne };
        var active = new Option<bool>("--active") { Description = "Only alerts still being sent: firing, or resolved a short while ago." };
        var command = factory.Create("alerts", "List alert episodes, newest first.", async call =>
        {
            var alerts = await call.Client.ListAlertsAsync(call.Value(name), call.Value(active), call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new MonitorAlertsList(alerts), MonitorCliJsonContext.Default.MonitorAlertsList);
            var table = Tables.Create("Monitor", "Rule", "Status", "Severity", "Started", "Ended", "Last sent", "Summary");
            foreach (var alert in alerts)
            {
                table.AddTextRow(alert.Monitor, alert.Rule, alert.Status.ToString().ToLowerInvariant(), alert.Labels.GetValueOrDefault("severity"),
                    Tables.Time(alert.StartsAt), Tables.Time(alert.EndsAt), Tables.Time(alert.LastSentAt), alert.Annotations.GetValueOrDefault("summary"));
            }
            call.Cli.Console.Write(table);
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        command.Options.Add(active);
        return command;
    }

    private static async Task WriteRunAsync(ClientInvocation call, MonitorRun run)
    {
        await call.Cli.Out.WriteLineAsync($"Monitor '{run.Monitor}' run {run.Id}: {Status(run)}");
        var table = Tables.Create("Field", "Value");
        table.AddTextRow("status", Status(run));
        table.AddTextRow("window", $"{Tables.Time(run.WindowStart)} to {Tables.Time(run.WindowEnd)}");
        table.AddTextRow("rows", run.RowsSeen.ToString(CultureInfo.InvariantCulture));
        table.AddTextRow("model_version", run.ModelVersion);
        table.AddTextRow("drift_share", Share(run.DriftShare));
        table.AddTextRow("dataset_drift", run.DatasetDrift switch { true => "yes", false => "no", null => "not tested" });
        table.AddTextRow("drifted", run.CheckedColumns is null ? "" : $"{Drifted(run)} columns");
        table.AddTextRow("quality_failures", run.QualityFailures?.ToString(CultureInfo.InvariantCulture));
        table.AddTextRow("message", run.Message);
        table.AddTextRow("report_html", run.ReportHtml);
        table.AddTextRow("report_json", run.ReportJson);
        call.Cli.Console.Write(table);
        if (run.ReportHtml is not null)
            await call.Cli.Out.WriteLineAsync($"Download the report: slipway monitors report {run.Monitor} {run.Id} --out report.html");
    }

    private static string Status(MonitorRun run) => run.Status.ToString().ToLowerInvariant();

    private static string Share(double? share) => share is { } value ? Tables.Number(Math.Round(value, 4)) : "";

    private static string Drifted(MonitorRun run) => run.CheckedColumns is { } total ? $"{run.DriftedColumns ?? 0} of {total}" : "";
}
