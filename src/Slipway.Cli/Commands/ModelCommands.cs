using System.CommandLine;
using Slipway.Cli.Output;
using Slipway.Client;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway models …</c>: registered models, and the version, governance and lineage subcommands.</summary>
internal static class ModelCommands
{
    public static Command Create(ClientCommandFactory factory) =>
        new("models", "Registered models: versions, aliases, stages, approvals, model cards and lineage.")
        {
            List(factory),
            Get(factory),
            CreateModel(factory),
            Delete(factory),
            ModelVersionCommands.Versions(factory),
            ModelVersionCommands.Register(factory),
            ModelVersionCommands.Alias(factory),
            ModelVersionCommands.Stage(factory),
            ModelVersionCommands.Resolve(factory),
            PolicyCommands.Create(factory),
            ApprovalCommands.Create(factory),
            CardCommands.Create(factory),
            LineageCommand.Create(factory),
        };

    private static Command List(ClientCommandFactory factory)
    {
        var filter = new Option<string>("--filter") { Description = "MLflow filter, e.g. \"name LIKE 'iris%'\" or \"tags.team = 'a'\"." };
        var maxResults = new Option<int?>("--max-results") { Description = "Return one page of at most N models (with a next-page token); default: all." };
        var pageToken = new Option<string>("--page-token") { Description = "Continue from a previous page (with --max-results)." };
        var command = factory.Create("list", "List registered models.", async call =>
        {
            RegisteredModelsPage page;
            if (call.Value(maxResults) is { } size)
            {
                if (size <= 0)
                    return call.Cli.Usage("--max-results must be a positive number.");
                var result = await call.Client.SearchRegisteredModelsAsync(call.Value(filter), maxResults: size, pageToken: call.Value(pageToken), ct: call.CancellationToken);
                page = new RegisteredModelsPage(result.Items, result.NextPageToken);
            }
            else
            {
                var models = new List<RegisteredModel>();
                await foreach (var model in call.Client.SearchAllRegisteredModelsAsync(call.Value(filter), ct: call.CancellationToken))
                    models.Add(model);
                page = new RegisteredModelsPage(models, null);
            }

            if (call.Json)
                return call.WriteJson(page, RegistryCliJsonContext.Default.RegisteredModelsPage);
            var table = Tables.Create("Name", "Latest versions", "Aliases", "Updated", "Description");
            foreach (var model in page.RegisteredModels)
                table.AddTextRow(model.Name, LatestVersions(model), Aliases(model), Tables.Time(model.LastUpdatedTimestamp), model.Description);
            call.Cli.Console.Write(table);
            if (page.NextPageToken is not null)
                await call.Cli.Out.WriteLineAsync($"More models: --page-token {page.NextPageToken}");
            return CliApp.Success;
        });
        command.Options.Add(filter);
        command.Options.Add(maxResults);
        command.Options.Add(pageToken);
        return command;
    }

    private static Command Get(ClientCommandFactory factory)
    {
        var name = NameArgument();
        var command = factory.Create("get", "Show a registered model: latest versions, aliases and tags.", async call =>
        {
            var model = await call.Client.GetRegisteredModelAsync(call.Value(name)!, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(model, RegistryCliJsonContext.Default.RegisteredModel);
            var table = Tables.Create("Field", "Value");
            table.AddTextRow("name", model.Name);
            table.AddTextRow("description", model.Description);
            table.AddTextRow("created", Tables.Time(model.CreationTimestamp));
            table.AddTextRow("updated", Tables.Time(model.LastUpdatedTimestamp));
            table.AddTextRow("latest_versions", LatestVersions(model));
            table.AddTextRow("aliases", Aliases(model));
            foreach (var tag in model.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
                table.AddTextRow("tags." + tag.Key, tag.Value);
            call.Cli.Console.Write(table);
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        return command;
    }

    private static Command CreateModel(ClientCommandFactory factory)
    {
        var name = NameArgument();
        var description = new Option<string>("--description") { Description = "What the model is." };
        var command = factory.Create("create", "Register a model name.", async call =>
        {
            var model = await call.Client.CreateRegisteredModelAsync(call.Value(name)!, call.Value(description), ct: call.CancellationToken);
            if (call.Json)
                return call.WriteJson(model, RegistryCliJsonContext.Default.RegisteredModel);
            await call.Cli.Out.WriteLineAsync($"Created registered model '{model.Name}'.");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        command.Options.Add(description);
        return command;
    }

    private static Command Delete(ClientCommandFactory factory)
    {
        var name = NameArgument();
        var command = factory.Create("delete", "Delete a registered model with all its versions (cannot be undone).", async call =>
        {
            var modelName = call.Value(name)!;
            await call.Client.DeleteRegisteredModelAsync(modelName, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new EmptyResult(), RegistryCliJsonContext.Default.EmptyResult);
            await call.Cli.Out.WriteLineAsync($"Deleted registered model '{modelName}'.");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        return command;
    }

    public static Argument<string> NameArgument() => new("NAME") { Description = "The registered model's name." };

    public static Argument<string> VersionArgument() => new("VERSION") { Description = "The version number." };

    private static string LatestVersions(RegisteredModel model) =>
        string.Join(", ", model.LatestVersions.Select(v => $"v{v.Version} ({v.CurrentStage})"));

    private static string Aliases(RegisteredModel model) =>
        string.Join(", ", model.Aliases.Select(a => $"{a.Alias}=v{a.Version}"));
}
