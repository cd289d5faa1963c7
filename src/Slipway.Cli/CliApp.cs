using System.CommandLine;
using Slipway.Cli.Commands;

namespace Slipway.Cli;

/// <summary>
/// Builds and runs the <c>slipway</c> command tree with the given output and error writers, so tests can run it
/// in-process. Exit codes: 0 success, 1 the operation failed (API error, server unreachable), 2 usage error.
/// </summary>
public static class CliApp
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var cli = new CliContext(output, error);
        var clientCommands = new ClientCommandFactory(cli);
        var root = new RootCommand("Slipway: an MLflow-compatible MLOps server, and a client for it.")
        {
            ServerCommand.Create(cli),
            ServeCommand.Create(cli),
            DbCommands.Create(cli),
            GcCommand.Create(cli),
            ExperimentCommands.Create(clientCommands),
            RunCommands.Create(clientCommands),
            ArtifactCommands.Create(clientCommands),
            ModelCommands.Create(clientCommands),
            AuditCommands.Create(clientCommands),
            WebhookCommands.Create(clientCommands),
            EndpointCommands.Create(clientCommands),
            DeployCommands.Create(clientCommands),
            PredictCommand.Create(clientCommands),
            MonitorReportCommand.Create(cli),
            MonitorCommands.Create(clientCommands),
            PipelineCommands.Create(clientCommands),
            TrainCommand.Create(clientCommands),
            UsersCommands.Create(clientCommands),
            UsersCommands.WhoAmI(clientCommands),
            TokensCommands.Create(clientCommands),
            PermissionsCommands.Create(clientCommands),
        };

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
                await error.WriteLineAsync($"error: {parseError.Message}");
            await error.WriteLineAsync($"Run '{DescribeCommand(parseResult)} --help' for usage.");
            return UsageError;
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, ct);
    }

    private static string DescribeCommand(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(result.Command is RootCommand ? "slipway" : result.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
