using System.CommandLine;
using Slipway.Cli.Output;
using Slipway.Client;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway permissions set|list|delete</c>: per-resource grants (READ &lt; EDIT &lt; MANAGE).</summary>
internal static class PermissionsCommands
{
    public static Command Create(ClientCommandFactory factory) =>
        new("permissions", "Decide who may read, edit or manage an experiment, model, endpoint, monitor or pipeline.")
        {
            Set(factory),
            List(factory),
            Delete(factory),
        };

    private static Command Set(ClientCommandFactory factory)
    {
        var options = new GrantOptions(required: true);
        var permission = new Option<string>("--permission")
        {
            Description = "READ, EDIT or MANAGE; NO_PERMISSIONS denies access even where the server's default would allow it.",
            Required = true,
        };
        permission.AcceptOnlyFromAmong([.. PermissionNames.All]);
        var command = factory.Create("set", "Grant a user a permission on a resource (replaces their earlier grant on it).", async call =>
        {
            var grant = await call.Client.SetPermissionAsync(
                call.Value(options.ResourceType)!, call.Value(options.Resource)!, call.Value(options.User)!, call.Value(permission)!, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(grant, SecurityCliJsonContext.Default.ResourcePermission);
            await call.Cli.Out.WriteLineAsync($"{grant.User} now has {grant.Permission} on {grant.ResourceType}/{grant.Resource}.");
            return CliApp.Success;
        }, identityUserOption: false);
        options.AddTo(command);
        command.Options.Add(permission);
        return command;
    }

    private static Command List(ClientCommandFactory factory)
    {
        var options = new GrantOptions(required: false);
        var command = factory.Create("list", "List grants, filtered by resource type, resource and user.", async call =>
        {
            var grants = await call.Client.ListPermissionsAsync(
                call.Value(options.ResourceType), call.Value(options.Resource), call.Value(options.User), call.CancellationToken);
            if (call.Json)
                return call.WriteJson(grants, SecurityCliJsonContext.Default.IReadOnlyListResourcePermission);
            var table = Tables.Create("Resource type", "Resource", "User", "Permission");
            foreach (var g in grants)
                table.AddTextRow(g.ResourceType, g.Resource, g.User, g.Permission);
            call.Cli.Console.Write(table);
            return CliApp.Success;
        }, identityUserOption: false);
        options.AddTo(command);
        return command;
    }

    private static Command Delete(ClientCommandFactory factory)
    {
        var options = new GrantOptions(required: true);
        var command = factory.Create("delete", "Remove a user's grant on a resource; the server's default permission applies again.", async call =>
        {
            await call.Client.DeletePermissionAsync(
                call.Value(options.ResourceType)!, call.Value(options.Resource)!, call.Value(options.User)!, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new EmptyResult(), SecurityCliJsonContext.Default.EmptyResult);
            await call.Cli.Out.WriteLineAsync(
                $"Removed the grant of {call.Value(options.User)} on {call.Value(options.ResourceType)}/{call.Value(options.Resource)}.");
            return CliApp.Success;
        }, identityUserOption: false);
        options.AddTo(command);
        return command;
    }

    /// <summary>The options that name one grant: which resource, and whose.</summary>
    private sealed class GrantOptions
    {
        public GrantOptions(bool required)
        {
            ResourceType = new Option<string>("--resource-type")
            {
                Description = "experiments, models, endpoints, monitors or pipelines.",
                Required = required,
            };
            ResourceType.AcceptOnlyFromAmong([.. ResourceTypes.All]);
            Resource = new Option<string>("--resource")
            {
                Description = "The experiment id, or the model, endpoint, monitor or pipeline name.",
                Required = required,
            };
            User = new Option<string>("--user") { Description = "The user the grant is for.", Required = required };
        }

        public Option<string> ResourceType { get; }

        public Option<string> Resource { get; }

        public Option<string> User { get; }

        public void AddTo(Command command)
        {
            command.Options.Add(ResourceType);
            command.Options.Add(Resource);
            command.Options.Add(User);
        }
    }
}
