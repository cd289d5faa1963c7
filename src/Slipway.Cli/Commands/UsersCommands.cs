using System.CommandLine;
using System.Text.Json.Serialization;
using Slipway.Cli.Output;
using Slipway.Client;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway users create|list|get|update|delete</c> and <c>slipway whoami</c>.</summary>
internal static class UsersCommands
{
    public static Command Create(ClientCommandFactory factory) =>
        new("users", "Manage the users of a server with auth on (administrators).")
        {
            CreateUser(factory),
            List(factory),
            Get(factory),
            Update(factory),
            Delete(factory),
        };

    public static Command WhoAmI(ClientCommandFactory factory) =>
        factory.Create("whoami", "Show who the server takes you to be, and how you signed in.", async call =>
        {
            var me = await call.Client.WhoAmIAsync(call.CancellationToken);
            if (call.Json)
                return call.WriteJson(me, SecurityCliJsonContext.Default.SignedInUser);
            await call.Cli.Out.WriteLineAsync(me.User is { } user
                ? $"{user.Name} ({Describe(user)}), signed in with {me.AuthMethod}."
                : "Nobody: the server runs with authentication off, so every request may do anything.");
            return CliApp.Success;
        });

    private static Command CreateUser(ClientCommandFactory factory)
    {
        var name = new Argument<string>("NAME") { Description = "The user name." };
        var admin = new Option<bool>("--admin") { Description = "Make the user an administrator." };
        var roles = new Option<string[]>("--role") { Description = "A role such as approver; repeatable." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input (default: prompt for it)." };
        var noPassword = new Option<bool>("--no-password") { Description = "Create a user who signs in only with tokens or single sign-on." };
        var command = factory.Create("create", "Create a user; the password is prompted for (never given as an argument).", async call =>
        {
            string? password = null;
            if (call.Value(noPassword))
            {
                if (call.Value(passwordStdin))
                    return call.Cli.Usage("--no-password and --password-stdin exclude each other.");
            }
            else if (PasswordInput.Read(call.Cli, call.Value(passwordStdin), "Password for " + call.Value(name), confirm: true) is { } read)
            {
                password = read;
            }
            else
            {
                return call.Cli.Usage("no password given: pass --password-stdin and pipe it in, run in a terminal to be prompted, or pass --no-password.");
            }

            var user = await call.Client.CreateUserAsync(call.Value(name)!, password, call.Value(admin), call.Value(roles), call.CancellationToken);
            if (call.Json)
                return call.WriteJson(user, SecurityCliJsonContext.Default.UserAccount);
            await call.Cli.Out.WriteLineAsync($"Created user {user.Name} ({Describe(user)}).");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        foreach (var option in new Option[] { admin, roles, passwordStdin, noPassword })
            command.Options.Add(option);
        return command;
    }

    private static Command List(ClientCommandFactory factory) =>
        factory.Create("list", "List the users.", async call =>
        {
            var users = await call.Client.ListUsersAsync(call.CancellationToken);
            if (call.Json)
                return call.WriteJson(users, SecurityCliJsonContext.Default.IReadOnlyListUserAccount);
            var table = Tables.Create("Name", "Admin", "Roles", "Created", "Updated");
            foreach (var u in users)
                table.AddTextRow(u.Name, u.Admin ? "yes" : "no", string.Join(", ", u.Roles), Tables.Time(u.CreationTime), Tables.Time(u.LastUpdateTime));
            call.Cli.Console.Write(table);
            return CliApp.Success;
        });

    private static Command Get(ClientCommandFactory factory)
    {
        var name = new Argument<string>("NAME") { Description = "The user name." };
        var command = factory.Create("get", "Show a user (administrators, or yourself).", async call =>
        {
            var user = await call.Client.GetUserAsync(call.Value(name)!, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(user, SecurityCliJsonContext.Default.UserAccount);
            var table = Tables.Create("Name", "Admin", "Roles", "Created", "Updated");
            table.AddTextRow(user.Name, user.Admin ? "yes" : "no", string.Join(", ", user.Roles), Tables.Time(user.CreationTime), Tables.Time(user.LastUpdateTime));
            call.Cli.Console.Write(table);
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        return command;
    }

    private static Command Update(ClientCommandFactory factory)
    {
        var name = new Argument<string>("NAME") { Description = "The user name." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the new password from standard input (the line after the current password, if that is read too)." };
        var setPassword = new Option<bool>("--set-password") { Description = "Prompt for a new password." };
        var currentStdin = new Option<bool>("--current-password-stdin") { Description = "Read your current password from the first line of standard input (changing your own password while signed in with a token)." };
        var admin = new Option<bool>("--admin") { Description = "Make the user an administrator." };
        var noAdmin = new Option<bool>("--no-admin") { Description = "Stop the user being an administrator." };
        var roles = new Option<string[]>("--role") { Description = "Replace the user's roles with these; repeatable." };
        var clearRoles = new Option<bool>("--clear-roles") { Description = "Remove all the user's roles." };
        var command = factory.Create("update", "Change a user's password, admin flag or roles.", async call =>
        {
            if (call.Value(admin) && call.Value(noAdmin))
                return call.Cli.Usage("--admin and --no-admin exclude each other.");
            if (call.Value(roles) is { Length: > 0 } && call.Value(clearRoles))
                return call.Cli.Usage("--role and --clear-roles exclude each other.");
            var userName = call.Value(name)!;
            string? current = null;
            if (call.Value(currentStdin))
            {
                current = PasswordInput.Read(call.Cli, fromStdin: true, "Current password", confirm: false);
                if (current is null)
                    return call.Cli.Usage("--current-password-stdin: standard input is empty.");
            }
            else if (string.Equals(call.Client.UserName, userName, StringComparison.Ordinal) && call.Client.Token is null)
            {
                current = call.Client.Password; // changing your own password: the one you signed in with proves it is you
            }

            string? password = null;
            if (call.Value(passwordStdin) || call.Value(setPassword))
            {
                password = PasswordInput.Read(call.Cli, call.Value(passwordStdin), "New password for " + userName, confirm: true);
                if (password is null)
                    return call.Cli.Usage("no new password given: pipe it in with --password-stdin, or run in a terminal with --set-password.");
            }

            bool? adminFlag = call.Value(admin) ? true : call.Value(noAdmin) ? false : null;
            IEnumerable<string>? newRoles = call.Value(clearRoles) ? [] : call.Value(roles) is { Length: > 0 } given ? given : null;
            if (password is null && adminFlag is null && newRoles is null)
                return call.Cli.Usage("nothing to change: give --password-stdin, --set-password, --admin, --no-admin, --role or --clear-roles.");
            var user = await call.Client.UpdateUserAsync(userName, password, password is null ? null : current, adminFlag, newRoles, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(user, SecurityCliJsonContext.Default.UserAccount);
            await call.Cli.Out.WriteLineAsync($"Updated user {user.Name} ({Describe(user)}){(password is null ? "" : "; the password was changed")}.");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        foreach (var option in new Option[] { passwordStdin, setPassword, currentStdin, admin, noAdmin, roles, clearRoles })
            command.Options.Add(option);
        return command;
    }

    private static Command Delete(ClientCommandFactory factory)
    {
        var name = new Argument<string>("NAME") { Description = "The user name." };
        var command = factory.Create("delete", "Delete a user, revoke their tokens and drop their permissions.", async call =>
        {
            await call.Client.DeleteUserAsync(call.Value(name)!, call.CancellationToken);
            if (call.Json)
                return call.WriteJson(new EmptyResult(), SecurityCliJsonContext.Default.EmptyResult);
            await call.Cli.Out.WriteLineAsync($"Deleted user {call.Value(name)}.");
            return CliApp.Success;
        });
        command.Arguments.Add(name);
        return command;
    }

    private static string Describe(UserAccount user)
    {
        var parts = new List<string> { user.Admin ? "admin" : "not admin" };
        if (user.Roles.Count > 0)
            parts.Add("roles: " + string.Join(", ", user.Roles));
        return string.Join("; ", parts);
    }
}

/// <summary>
/// Reads passwords from standard input or a no-echo prompt, never from an argument (which would end up in shell
/// history and process listings).
/// </summary>
internal static class PasswordInput
{
    /// <summary>The password, or null when none could be read (empty input, or no terminal to prompt on).</summary>
    public static string? Read(CliContext cli, bool fromStdin, string prompt, bool confirm)
    {
        if (fromStdin)
            return Console.In.ReadLine() is { Length: > 0 } line ? line.TrimEnd('\r') : null;
        if (Console.IsInputRedirected)
            return null;
        var first = Prompt(cli, prompt + ": ");
        if (!confirm || first.Length == 0)
            return first.Length == 0 ? null : first;
        var second = Prompt(cli, "Repeat it: ");
        if (first != second)
            throw new InvalidOperationException("the two passwords differ.");
        return first;
    }

    private static string Prompt(CliContext cli, string prompt)
    {
        cli.Error.Write(prompt);
        var buffer = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (buffer.Length > 0)
                    buffer.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                buffer.Append(key.KeyChar);
            }
        }

        cli.Error.WriteLine();
        return buffer.ToString();
    }
}

/// <summary>The shapes <c>--json</c> prints for the users, tokens and permissions commands (the server's snake_case).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(UserAccount))]
[JsonSerializable(typeof(IReadOnlyList<UserAccount>))]
[JsonSerializable(typeof(SignedInUser))]
[JsonSerializable(typeof(CreatedAccessToken))]
[JsonSerializable(typeof(AccessTokenInfo))]
[JsonSerializable(typeof(IReadOnlyList<AccessTokenInfo>))]
[JsonSerializable(typeof(ResourcePermission))]
[JsonSerializable(typeof(IReadOnlyList<ResourcePermission>))]
[JsonSerializable(typeof(EmptyResult))]
internal sealed partial class SecurityCliJsonContext : JsonSerializerContext;
