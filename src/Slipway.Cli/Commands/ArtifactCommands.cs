using System.CommandLine;
using Slipway.Cli.Output;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway artifacts upload|download|list</c>, through the server's artifact proxy.</summary>
internal static class ArtifactCommands
{
    public static Command Create(ClientCommandFactory factory) =>
        new("artifacts", "Upload, download and list run artifacts.")
        {
            Upload(factory),
            Download(factory),
            List(factory),
        };

    private static Option<string> RunIdOption() => new("--run-id") { Description = "The run.", Required = true };

    private static Command Upload(ClientCommandFactory factory)
    {
        var runId = RunIdOption();
        var localPath = new Argument<string>("LOCAL_PATH") { Description = "A file, or a folder to upload with everything below it." };
        var artifactPath = new Option<string>("--artifact-path") { Description = "Folder inside the run's artifacts (default: the root)." };
        var command = factory.Create("upload", "Upload a file or a folder into a run's artifacts.", async call =>
        {
            var source = call.Value(localPath)!;
            var run = call.Value(runId)!;
            IReadOnlyList<string> uploaded;
            if (Directory.Exists(source))
                uploaded = await call.Client.UploadArtifactsAsync(run, source, call.Value(artifactPath), call.CancellationToken);
            else if (File.Exists(source))
                uploaded = [await call.Client.UploadArtifactAsync(run, source, call.Value(artifactPath), call.CancellationToken)];
            else
                return call.Cli.Usage($"'{source}' is neither a file nor a folder.");

            if (call.Json)
                return call.WriteJson(new UploadedArtifacts(run, uploaded), CliJsonContext.Default.UploadedArtifacts);
            foreach (var path in uploaded)
                await call.Cli.Out.WriteLineAsync($"uploaded {path}");
            await call.Cli.Out.WriteLineAsync($"{uploaded.Count} file(s) uploaded to run {run}.");
            return CliApp.Success;
        });
        command.Options.Add(runId);
        command.Arguments.Add(localPath);
        command.Options.Add(artifactPath);
        return command;
    }

    private static Command Download(ClientCommandFactory factory)
    {
        var runId = RunIdOption();
        var artifactPath = new Option<string>("--artifact-path") { Description = "A file or folder inside the run's artifacts (default: all of them)." };
        var destination = new Option<string>("--dst") { Description = "Local folder to download into (created when missing).", Required = true };
        var command = factory.Create("download", "Download a run's artifact file or folder (recursively).", async call =>
        {
            var localPath = await call.Client.DownloadArtifactsAsync(call.Value(runId)!, call.Value(artifactPath), call.Value(destination)!, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new DownloadedArtifacts(localPath), CliJsonContext.Default.DownloadedArtifacts);
            await call.Cli.Out.WriteLineAsync($"Downloaded to {localPath}");
            return CliApp.Success;
        });
        command.Options.Add(runId);
        command.Options.Add(artifactPath);
        command.Options.Add(destination);
        return command;
    }

    private static Command List(ClientCommandFactory factory)
    {
        var runId = RunIdOption();
        var artifactPath = new Option<string>("--artifact-path") { Description = "Folder to list (default: the root)." };
        var command = factory.Create("list", "List one folder level of a run's artifacts.", async call =>
        {
            var files = await call.Client.ListArtifactsAsync(call.Value(runId)!, call.Value(artifactPath), call.CancellationToken);
            if (call.Json)
                return call.WriteJson(files.ToList(), CliJsonContext.Default.ListArtifactFile);
            var table = Tables.Create("Path", "Type", "Size");
            foreach (var file in files)
                table.AddTextRow(file.Path, file.IsDir ? "dir" : "file", Tables.Size(file.FileSize));
            call.Cli.Console.Write(table);
            return CliApp.Success;
        });
        command.Options.Add(runId);
        command.Options.Add(artifactPath);
        return command;
    }
}
