using System.CommandLine;
using Slipway.Cli.Output;
using Slipway.Client;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway models versions|register|alias|stage|resolve</c>.</summary>
internal static class ModelVersionCommands
{
    public static Command Versions(ClientCommandFactory factory)
    {
        var name = ModelCommands.NameArgument();
        var command = factory.Create("versions", "List a model's versions, newest first.", async call =>
        {
            var modelName = call.Value(name)!;
            var model = await call.Client.GetRegisteredModelAsync(modelName, call.CancellationToken);
            // MLflow's search_model_versions leaves aliases out, so take them from the registered model.
            var aliases = model.Aliases.ToLookup(a => a.Version, a => a.Alias, StringComparer.Ordinal);
            var versions = new List<ModelVersion>();
            await foreach (var version in call.Client.SearchAllModelVersionsAsync(NameFilter(modelName), ["version_number DESC"], ct: call.CancellationToken))
                versions.Add(version.Aliases.Count > 0 || !aliases.Contains(version.Version) ? version : version with { Aliases = [.. aliases[version.Version]] });
            if (call.Json)
                return call.WriteJson(versions, RegistryCliJsonContext.Default.ListModelVersion);
            var table = Tables.Create("Version", "Stage", "Status", "Aliases", "Run ID", "Source", "Created");
            foreach (var v in versions)
                table.AddTextRow(v.Version, v.CurrentStage, v.Status, string.Join(", ", v.Aliases), v.RunId, v.Source, Tables.Time(v.CreationTimestamp));
            call.Cli.Console.Write(table);
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        return command;
    }

    public static Command Register(ClientCommandFactory factory)
    {
        var name = ModelCommands.NameArgument();
        var source = new Option<string>("--source") { Description = "Where the model's files are, e.g. runs:/<run_id>/model.", Required = true };
        var runId = new Option<string>("--run-id") { Description = "The run that produced the model (for lineage and metric gates)." };
        var description = new Option<string>("--description") { Description = "What this version is." };
        var command = factory.Create("register", "Register a new version of a model (creating the model if needed).", async call =>
        {
            var modelName = call.Value(name)!;
            try
            {
                await call.Client.CreateRegisteredModelAsync(modelName, ct: call.CancellationToken);
            }
            catch (SlipwayApiException ex) when (ex.ErrorCode == ApiErrorCodes.ResourceAlreadyExists)
            {
                // Registering a further version of an existing model, as mlflow.register_model does.
            }

            var version = await call.Client.CreateModelVersionAsync(
                modelName, call.Value(source)!, call.Value(runId), description: call.Value(description), ct: call.CancellationToken);
            if (call.Json)
                return call.WriteJson(version, RegistryCliJsonContext.Default.ModelVersion);
            await call.Cli.Out.WriteLineAsync($"Registered version {version.Version} of '{version.Name}'.");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        command.Options.Add(source);
        command.Options.Add(runId);
        command.Options.Add(description);
        return command;
    }

    public static Command Alias(ClientCommandFactory factory)
    {
        var name = ModelCommands.NameArgument();
        var alias = new Argument<string>("ALIAS") { Description = "The alias, e.g. champion." };
        var version = ModelCommands.VersionArgument();
        var set = factory.Create("set", "Point an alias at a version (protected aliases need an approval request).", async call =>
        {
            var (modelName, aliasName, versionNumber) = (call.Value(name)!, call.Value(alias)!, call.Value(version)!);
            await call.Client.SetModelAliasAsync(modelName, aliasName, versionNumber, call.CancellationToken);
            return await DoneAsync(call, $"Alias '{aliasName}' of '{modelName}' now points at version {versionNumber}.");
        });
        set.Arguments.Add(name);
        set.Arguments.Add(alias);
        set.Arguments.Add(version);

        var deleteName = ModelCommands.NameArgument();
        var deleteAlias = new Argument<string>("ALIAS") { Description = "The alias to remove." };
        var delete = factory.Create("delete", "Remove an alias.", async call =>
        {
            var (modelName, aliasName) = (call.Value(deleteName)!, call.Value(deleteAlias)!);
            await call.Client.DeleteModelAliasAsync(modelName, aliasName, call.CancellationToken);
            return await DoneAsync(call, $"Removed alias '{aliasName}' of '{modelName}'.");
        });
        delete.Arguments.Add(deleteName);
        delete.Arguments.Add(deleteAlias);
        return new Command("alias", "Set or remove model aliases.") { set, delete };
    }

    public static Command Stage(ClientCommandFactory factory)
    {
        var name = ModelCommands.NameArgument();
        var version = ModelCommands.VersionArgument();
        var stage = new Argument<string>("STAGE") { Description = "None, Staging, Production or Archived." };
        var archiveExisting = new Option<bool>("--archive-existing") { Description = "Move the versions now in STAGE to Archived." };
        var command = factory.Create("stage", "Move a version to a stage (protected stages need an approval request).", async call =>
        {
            var moved = await call.Client.TransitionModelVersionStageAsync(
                call.Value(name)!, call.Value(version)!, call.Value(stage)!, call.Value(archiveExisting), call.CancellationToken);
            if (call.Json)
                return call.WriteJson(moved, RegistryCliJsonContext.Default.ModelVersion);
            await call.Cli.Out.WriteLineAsync($"Version {moved.Version} of '{moved.Name}' is now in stage {moved.CurrentStage}.");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        command.Arguments.Add(version);
        command.Arguments.Add(stage);
        command.Options.Add(archiveExisting);
        return command;
    }

    public static Command Resolve(ClientCommandFactory factory)
    {
        var uri = new Argument<string>("URI") { Description = "models:/NAME@ALIAS, models:/NAME/VERSION or models:/NAME/STAGE." };
        var command = factory.Create("resolve", "Show which version a models:/ URI names and where to download it.", async call =>
        {
            var resolved = await call.Client.ResolveModelUriAsync(call.Value(uri)!, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(resolved, RegistryCliJsonContext.Default.ResolvedModelVersion);
            var v = resolved.ModelVersion;
            var table = Tables.Create("Field", "Value");
            table.AddTextRow("name", v.Name);
            table.AddTextRow("version", v.Version);
            table.AddTextRow("stage", v.CurrentStage);
            table.AddTextRow("aliases", string.Join(", ", v.Aliases));
            table.AddTextRow("run_id", v.RunId);
            table.AddTextRow("source", v.Source);
            table.AddTextRow("download_uri", resolved.DownloadUri);
            call.Cli.Console.Write(table);
            return CliApp.Success;
        });
        command.Arguments.Add(uri);
        return command;
    }

    /// <summary>An exact-name filter, quoted with whichever quote the name does not contain.</summary>
    private static string NameFilter(string name) => name.Contains('\'', StringComparison.Ordinal) ? $"name = \"{name}\"" : $"name = '{name}'";

    private static async Task<int> DoneAsync(ClientInvocation call, string message)
    {
        if (call.Json)
            return call.WriteJson(new EmptyResult(), RegistryCliJsonContext.Default.EmptyResult);
        await call.Cli.Out.WriteLineAsync(message);
        return CliApp.Success;
    }
}
