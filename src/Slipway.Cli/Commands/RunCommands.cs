using System.CommandLine;
using Slipway.Cli.Output;
using Slipway.Client;
using Spectre.Console;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway runs list|get|search</c>.</summary>
internal static class RunCommands
{
    public static Command Create(ClientCommandFactory factory) =>
        new("runs", "Inspect and search runs.")
        {
            List(factory),
            Get(factory),
            Search(factory),
        };

    private static Command List(ClientCommandFactory factory)
    {
        var experimentId = new Option<string>("--experiment-id") { Description = "The experiment whose runs to list.", Required = true };
        var view = ViewOption.Create();
        var command = factory.Create("list", "List the runs of an experiment, newest first.", async call =>
        {
            var runs = new List<Run>();
            await foreach (var run in call.Client.SearchAllRunsAsync([call.Value(experimentId)!], viewType: ViewOption.Parse(call.Value(view)), ct: call.CancellationToken))
                runs.Add(run);
            if (call.Json)
                return call.WriteJson(runs, CliJsonContext.Default.ListRun);
            call.Cli.Console.Write(RunTable(runs, withMetrics: false));
            return CliApp.Success;
        });
        command.Options.Add(experimentId);
        command.Options.Add(view);
        return command;
    }

    private static Command Get(ClientCommandFactory factory)
    {
        var runId = new Argument<string>("RUN_ID") { Description = "The run id." };
        var command = factory.Create("get", "Show a run: info, params, latest metrics and tags.", async call =>
        {
            var run = await call.Client.GetRunAsync(call.Value(runId)!, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(run, CliJsonContext.Default.Run);

            var info = run.Info;
            var summary = Tables.Create("Field", "Value");
            summary.AddTextRow("run_id", info.RunId);
            summary.AddTextRow("run_name", info.RunName);
            summary.AddTextRow("experiment_id", info.ExperimentId);
            summary.AddTextRow("status", info.Status.ToString().ToUpperInvariant());
            summary.AddTextRow("user_id", info.UserId);
            summary.AddTextRow("start_time", Tables.Time(info.StartTime));
            summary.AddTextRow("end_time", Tables.Time(info.EndTime));
            summary.AddTextRow("artifact_uri", info.ArtifactUri);
            summary.AddTextRow("lifecycle_stage", info.LifecycleStage);
            call.Cli.Console.Write(summary);
            WriteSection(call.Cli.Console, "Params", run.Data.Params.Select(p => (p.Key, p.Value)));
            WriteSection(call.Cli.Console, "Metrics", run.Data.Metrics.Select(m => (m.Key, $"{Tables.Number(m.Value)} (step {m.Step})")));
            WriteSection(call.Cli.Console, "Tags", run.Data.Tags.Select(t => (t.Key, t.Value)));
            return CliApp.Success;
        });
        command.Arguments.Add(runId);
        return command;
    }

    private static Command Search(ClientCommandFactory factory)
    {
        var experimentIds = new Option<string[]>("--experiment-id")
        {
            Description = "Experiment(s) to search; repeat the option for several.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var filter = new Option<string>("--filter") { Description = "MLflow filter, e.g. \"metrics.rmse < 1 and params.model = 'lr'\"." };
        var orderBy = new Option<string[]>("--order-by") { Description = "Sort clause, e.g. \"metrics.rmse DESC\"; repeatable." };
        var maxResults = new Option<int?>("--max-results") { Description = "Return one page of at most N runs (with a next-page token); default: all runs." };
        var pageToken = new Option<string>("--page-token") { Description = "Continue from a previous page." };
        var view = ViewOption.Create();
        var command = factory.Create("search", "Search runs with an MLflow filter.", async call =>
        {
            var ids = call.Value(experimentIds)!;
            var order = call.Value(orderBy);
            var viewType = ViewOption.Parse(call.Value(view));
            RunsPage page;
            if (call.Value(maxResults) is { } size)
            {
                if (size <= 0)
                    return call.Cli.Usage("--max-results must be a positive number.");
                var result = await call.Client.SearchRunsAsync(ids, call.Value(filter), order, size, call.Value(pageToken), viewType, call.CancellationToken);
                page = new RunsPage(result.Items, result.NextPageToken);
            }
            else
            {
                var runs = new List<Run>();
                await foreach (var run in call.Client.SearchAllRunsAsync(ids, call.Value(filter), order, viewType, ct: call.CancellationToken))
                    runs.Add(run);
                page = new RunsPage(runs, null);
            }

            if (call.Json)
                return call.WriteJson(page, CliJsonContext.Default.RunsPage);
            call.Cli.Console.Write(RunTable(page.Runs, withMetrics: true));
            if (page.NextPageToken is not null)
                await call.Cli.Out.WriteLineAsync($"More runs: --page-token {page.NextPageToken}");
            return CliApp.Success;
        });
        command.Options.Add(experimentIds);
        command.Options.Add(filter);
        command.Options.Add(orderBy);
        command.Options.Add(maxResults);
        command.Options.Add(pageToken);
        command.Options.Add(view);
        return command;
    }

    private static Table RunTable(IEnumerable<Run> runs, bool withMetrics)
    {
        var table = withMetrics
            ? Tables.Create("Run ID", "Name", "Status", "Started", "Metrics")
            : Tables.Create("Run ID", "Name", "Status", "Started", "Ended");
        foreach (var run in runs)
        {
            var info = run.Info;
            var last = withMetrics
                ? string.Join(", ", run.Data.Metrics.Select(m => $"{m.Key}={Tables.Number(m.Value)}"))
                : Tables.Time(info.EndTime);
            table.AddTextRow(info.RunId, info.RunName, info.Status.ToString().ToUpperInvariant(), Tables.Time(info.StartTime), last);
        }

        return table;
    }

    private static void WriteSection(IAnsiConsole console, string title, IEnumerable<(string Key, string Value)> rows)
    {
        var list = rows.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        if (list.Count == 0)
            return;
        console.WriteLine();
        console.Write(new Text(title + "\n"));
        var table = Tables.Create("Key", "Value");
        foreach (var (key, value) in list)
            table.AddTextRow(key, value);
        console.Write(table);
    }
}
